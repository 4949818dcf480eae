package io.farl.launch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module dependency directions of DESIGN.md, checked on the compiled classes of every module. Maven already
 * keeps undeclared modules off the compile classpath; these rules also catch a new pom dependency that breaks a
 * direction.
 */
class ArchitectureTest {

    private static final String JDK = "java..";
    private static JavaClasses farl;

    @BeforeAll
    static void importAll() {
        // Test fixtures shared as test-jars (the mosquitto fixture of robot-mqtt) are tests too.
        farl = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.farl");
    }

    @Test
    void robotApiShouldDependOnTheJdkOnly() {
        classes().that().resideInAPackage("io.farl.robot.api..").should().onlyDependOnClassesThat()
                .resideInAnyPackage("io.farl.robot.api..", JDK).check(farl);
    }

    @Test
    void worldModelApiShouldDependOnRobotApiAndJdkOnly() {
        classes().that().resideInAPackage("io.farl.model.api..").should().onlyDependOnClassesThat()
                .resideInAnyPackage("io.farl.model.api..", "io.farl.robot.api..", JDK).allowEmptyShould(true)
                .check(farl);
    }

    @Test
    void simulatorShouldDependOnRobotApiAndPhysicsOnly() {
        classes().that().resideInAPackage("io.farl.robot.sim..").should().onlyDependOnClassesThat()
                .resideInAnyPackage("io.farl.robot.sim..", "io.farl.robot.api..", "org.ode4j..", "org.slf4j..", JDK)
                .allowEmptyShould(true).check(farl);
    }

    @Test
    void mqttAdapterShouldDependOnRobotApiProtocolPahoAndResilience4j() {
        // Resilience4j only for reconnect backoff on the link's own thread; javax.net for TCP_NODELAY and TLS sockets
        classes().that().resideInAPackage("io.farl.robot.mqtt..").should().onlyDependOnClassesThat()
                .resideInAnyPackage("io.farl.robot.mqtt..", "io.farl.robot.api..", "io.farl.protocol..",
                        "org.eclipse.paho..", "com.google.protobuf..", "io.github.resilience4j..", "org.slf4j..",
                        "javax.net..", JDK)
                .allowEmptyShould(true).check(farl);
    }

    @Test
    void ros1AdapterShouldDependOnRobotApiAndXmlRpc() {
        classes().that().resideInAPackage("io.farl.robot.ros1..").should().onlyDependOnClassesThat()
                .resideInAnyPackage("io.farl.robot.ros1..", "io.farl.robot.api..", "org.apache.xmlrpc..",
                        "org.slf4j..", JDK)
                .allowEmptyShould(true).check(farl);
    }

    @Test
    void safetyShouldNotSeeImplementationsTransportsOrNativeMl() {
        classes().that().resideInAPackage("io.farl.safety..").should().onlyDependOnClassesThat()
                .resideInAnyPackage("io.farl.safety..", "io.farl.robot.api..", "io.farl.model.api..", "org.slf4j..",
                        JDK)
                .allowEmptyShould(true).check(farl);
    }

    @Test
    void controllerShouldDependOnApisSafetyAndProtocolOnly() {
        classes().that().resideInAPackage("io.farl.controller..").should().onlyDependOnClassesThat()
                .resideInAnyPackage("io.farl.controller..", "io.farl.robot.api..", "io.farl.model.api..",
                        "io.farl.safety..", "io.farl.protocol..", "com.google.protobuf..",
                        // the remote-inference client's circuit breaker and bulkhead (pure Java, no native code)
                        "io.github.resilience4j..", "io.vavr..", "org.slf4j..", JDK)
                .allowEmptyShould(true).check(farl);
    }

    @Test
    void thePlainJvmDecisionPathShouldNeedNoNativeLibrary() {
        // a robot PC runs the policies and the C_H rollout from model directories without DJL or libtorch
        classes().that().resideInAPackage("io.farl.model.jvm..").should().onlyDependOnClassesThat()
                .resideInAnyPackage("io.farl.model.jvm..", "io.farl.model.api..", "io.farl.robot.api..",
                        "org.slf4j..", "jdk.incubator.vector..", JDK)
                .check(farl);
    }

    @Test
    void worldModelDjlShouldNotSeeControllerSafetyOrAdapters() {
        noClasses().that().resideInAPackage("io.farl.model.djl..").should().dependOnClassesThat()
                .resideInAnyPackage("io.farl.controller..", "io.farl.safety..", "io.farl.robot.sim..",
                        "io.farl.robot.mqtt..", "io.farl.robot.ros1..", "io.farl.protocol..", "io.farl.launch..",
                        "io.farl.pipeline..")
                .allowEmptyShould(true).check(farl);
    }

    @Test
    void onlyLaunchAndThePipelineShouldChooseImplementations() {
        // the pipeline runs the simulator and trains with DJL: that is its job; transports stay launch's choice
        noClasses().that().resideOutsideOfPackages("io.farl.launch..", "io.farl.pipeline..", "io.farl.robot.sim..")
                .should().dependOnClassesThat().resideInAPackage("io.farl.robot.sim..").check(farl);
        noClasses().that().resideOutsideOfPackages("io.farl.launch..", "io.farl.robot.mqtt..").should()
                .dependOnClassesThat().resideInAPackage("io.farl.robot.mqtt..").check(farl);
        noClasses().that().resideOutsideOfPackages("io.farl.launch..", "io.farl.robot.ros1..").should()
                .dependOnClassesThat().resideInAPackage("io.farl.robot.ros1..").check(farl);
        noClasses().that().resideOutsideOfPackages("io.farl.launch..", "io.farl.pipeline..", "io.farl.model.djl..")
                .should().dependOnClassesThat().resideInAPackage("io.farl.model.djl..").check(farl);
        noClasses().that().resideOutsideOfPackages("io.farl.launch..").should().dependOnClassesThat()
                .resideInAPackage("io.farl.launch..").check(farl);
    }

    @Test
    void pipelineShouldNotSeeTheCommandLineOrTransports() {
        noClasses().that().resideInAPackage("io.farl.pipeline..").should().dependOnClassesThat()
                .resideInAnyPackage("io.farl.launch..", "picocli..", "io.farl.robot.mqtt..", "io.farl.robot.ros1..",
                        "me.tongfei.progressbar..")
                .check(farl);
        // and only launch sits above it
        noClasses().that().resideOutsideOfPackages("io.farl.launch..", "io.farl.pipeline..").should()
                .dependOnClassesThat().resideInAPackage("io.farl.pipeline..").check(farl);
    }

    @Test
    void interchangeShouldSeeTheDatasetApiAndItsFileLibrariesOnly() {
        // Hadoop's shaded client jars are on its class path for parquet-hadoop; its own code never touches Hadoop
        classes().that().resideInAPackage("io.farl.interchange..").should().onlyDependOnClassesThat()
                .resideInAnyPackage("io.farl.interchange..", "io.farl.controller.dataset..", "io.farl.robot.api..",
                        "com.fasterxml.jackson..", "org.apache.commons.csv..", "org.apache.parquet..", JDK)
                .check(farl);
        noClasses().that().resideOutsideOfPackages("io.farl.launch..", "io.farl.interchange..").should()
                .dependOnClassesThat().resideInAPackage("io.farl.interchange..").check(farl);
        noClasses().that().resideOutsideOfPackage("io.farl.interchange..").should().dependOnClassesThat()
                .resideInAnyPackage("org.apache.parquet..", "org.apache.hadoop..", "org.apache.commons.csv..")
                .check(farl);
    }

    @Test
    void safetyAndControllerShouldStayFreeOfDjl() {
        noClasses().that().resideInAnyPackage("io.farl.safety..", "io.farl.controller..").should()
                .dependOnClassesThat().resideInAnyPackage("ai.djl..", "io.farl.model.djl..").check(farl);
    }

    @Test
    void onlyLaunchCommandsShouldUsePicocli() {
        // commands, their option mixins and the CLI entry point; everything else gets plain values
        noClasses().that().resideOutsideOfPackage("io.farl.launch..").should().dependOnClassesThat()
                .resideInAPackage("picocli..").check(farl);
        noClasses().that().resideInAPackage("io.farl.launch..").and()
                .haveNameNotMatching(".*\\.(\\w+Command|\\w+Options|FarlCli)(\\$.*)?").should().dependOnClassesThat()
                .resideInAPackage("picocli..").check(farl);
    }
}
