package dev.strata.admin;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The admin layer sits beside the edges: nothing below it may import it. */
class AdminLayeringTest {

  private final JavaClasses classes = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.strata");

  @Test
  void lowerLayersDoNotImportAdmin() {
    noClasses().that().resideInAnyPackage("dev.strata.stream..", "dev.strata.framing..", "dev.strata.exchange..",
            "dev.strata.server..", "dev.strata.config..")
        .should().dependOnClassesThat().resideInAPackage("dev.strata.admin..")
        .check(classes);
  }

  @Test
  void adminDoesNotImportTheCommandLine() {
    noClasses().that().resideInAPackage("dev.strata.admin..")
        .should().dependOnClassesThat().resideInAPackage("dev.strata.cli..")
        .check(classes);
  }
}
