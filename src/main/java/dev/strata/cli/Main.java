package dev.strata.cli;
public class Main { public static void main(String[] a) {} }
