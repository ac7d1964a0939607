package dev.strata.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Lower layers never import higher ones; only the exchange and the edges touch the event bus. */
@AnalyzeClasses(packages = "dev.strata", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

  private static final String[] ABOVE_STREAM = {"dev.strata.framing..", "dev.strata.exchange..",
      "dev.strata.server..", "dev.strata.config..", "dev.strata.admin..", "dev.strata.cli..", "dev.strata.apps..",
      "dev.strata.bridge..", "dev.strata.connector..", "dev.strata.process.."};

  @ArchTest
  static final ArchRule framingTouchesNoSocketNoEventBusNoOtherLayer = noClasses()
      .that().resideInAPackage("dev.strata.framing..")
      .should().dependOnClassesThat().resideInAnyPackage("io.vertx.core.net..", "io.vertx.core.eventbus..",
          "dev.strata.stream..", "dev.strata.exchange..", "dev.strata.server..", "dev.strata.config..",
          "dev.strata.admin..", "dev.strata.cli..", "dev.strata.apps..", "dev.strata.bridge..", "dev.strata.connector..");

  @ArchTest
  static final ArchRule streamImportsNothingAbove = noClasses()
      .that().resideInAPackage("dev.strata.stream..")
      .should().dependOnClassesThat().resideInAnyPackage(ABOVE_STREAM);

  @ArchTest
  static final ArchRule streamUsesNoEventBus = noClasses()
      .that().resideInAPackage("dev.strata.stream..")
      .should().dependOnClassesThat().resideInAPackage("io.vertx.core.eventbus..");

  @ArchTest
  static final ArchRule exchangeImportsOnlyLowerLayers = noClasses()
      .that().resideInAPackage("dev.strata.exchange..")
      .should().dependOnClassesThat().resideInAnyPackage("dev.strata.server..", "dev.strata.config..",
          "dev.strata.admin..", "dev.strata.cli..", "dev.strata.apps..", "dev.strata.bridge..", "dev.strata.connector..");

  /** Connectors sit beside the exchange and use it: sockets, frames and the exchange below, nothing of the node above. */
  @ArchTest
  static final ArchRule connectorImportsOnlyLowerLayers = noClasses()
      .that().resideInAPackage("dev.strata.connector..")
      .should().dependOnClassesThat().resideInAnyPackage("dev.strata.server..", "dev.strata.config..",
          "dev.strata.admin..", "dev.strata.cli..", "dev.strata.apps..", "dev.strata.bridge..");

  /** The bridge sits beside the exchange: sockets and frames below it, nothing of the node above. */
  @ArchTest
  static final ArchRule bridgeImportsOnlyLowerLayers = noClasses()
      .that().resideInAPackage("dev.strata.bridge..")
      .should().dependOnClassesThat().resideInAnyPackage("dev.strata.server..", "dev.strata.config..",
          "dev.strata.admin..", "dev.strata.cli..", "dev.strata.apps..", "dev.strata.exchange..");

  /** Process applications sit beside the bridge: the exchange below them, nothing of the node above. */
  @ArchTest
  static final ArchRule processImportsOnlyLowerLayers = noClasses()
      .that().resideInAPackage("dev.strata.process..")
      .should().dependOnClassesThat().resideInAnyPackage("dev.strata.server..", "dev.strata.config..",
          "dev.strata.admin..", "dev.strata.cli..", "dev.strata.apps..", "dev.strata.bridge..", "dev.strata.connector..");

  @ArchTest
  static final ArchRule configKnowsNoRuntimeLayer = noClasses()
      .that().resideInAPackage("dev.strata.config..")
      .should().dependOnClassesThat().resideInAnyPackage("dev.strata.stream..", "dev.strata.exchange..",
          "dev.strata.server..", "dev.strata.admin..", "dev.strata.cli..", "io.vertx.core.eventbus..",
          "dev.strata.bridge..", "dev.strata.connector..");

  @ArchTest
  static final ArchRule onlyExchangeAndEdgesUseTheEventBus = noClasses()
      .that().resideInAnyPackage("dev.strata.framing..", "dev.strata.stream..", "dev.strata.config..")
      .should().dependOnClassesThat().resideInAPackage("io.vertx.core.eventbus..");

  @ArchTest
  static final ArchRule applicationsSeeOnlyTheExchangeApi = noClasses()
      .that().resideInAPackage("dev.strata.apps..")
      .should().dependOnClassesThat().resideInAnyPackage("dev.strata.stream..", "dev.strata.framing..",
          "dev.strata.server..", "dev.strata.config..", "dev.strata.admin..", "dev.strata.cli..",
          "io.vertx.core.net..");

  @ArchTest
  static final ArchRule edgesAreNotImportedByTheLayers = noClasses()
      .that().resideInAnyPackage("dev.strata.stream..", "dev.strata.framing..", "dev.strata.exchange..",
          "dev.strata.config..", "dev.strata.server..")
      .should().dependOnClassesThat().resideInAnyPackage("dev.strata.admin..", "dev.strata.cli..",
          "dev.strata.bench..", "dev.strata.cluster..");

  @ArchTest
  static final ArchRule onlyTheCommandLineUsesTheEdges = noClasses()
      .that().resideInAnyPackage("dev.strata.admin..", "dev.strata.bench..", "dev.strata.cluster..")
      .should().dependOnClassesThat().resideInAPackage("dev.strata.cli..");
}
