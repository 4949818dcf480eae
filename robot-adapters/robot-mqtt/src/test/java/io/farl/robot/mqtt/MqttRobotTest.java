package io.farl.robot.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;

import javax.net.ssl.SSLSocketFactory;

import org.junit.jupiter.api.Test;

import io.farl.robot.api.Command;
import io.farl.robot.api.LifecycleState;
import io.farl.robot.api.RobotStatus;

/** The controller side without a broker: lifecycle, configuration checks, socket options. */
class MqttRobotTest {
    private static final long MS = 1_000_000L;

    private static MqttLinkConfig unreachable() throws Exception {
        int port = MosquittoBroker.freePort();
        return new MqttLinkConfig("tcp://127.0.0.1:" + port, "arm-1", null, null, null, 300 * MS, 2, 10 * MS,
                50 * MS);
    }

    @Test
    void shouldFailConfigureWithTheReasonWhenNoBrokerAnswers() throws Exception {
        MqttRobot robot = new MqttRobot(unreachable(), TestRobots.description("arm-1"), 50 * MS, System::nanoTime);
        IllegalStateException e = assertThrows(IllegalStateException.class, robot::configure);
        assertTrue(e.getMessage().contains("Unable to connect") || e.getMessage().contains("refused"),
                e.getMessage());
        assertEquals(LifecycleState.UNCONFIGURED, robot.state());
        robot.close();
        assertEquals(LifecycleState.FINALIZED, robot.state());
    }

    @Test
    void shouldAnswerNotActiveBeforeActivation() throws Exception {
        MqttRobot robot = new MqttRobot(unreachable(), TestRobots.description("arm-1"), 50 * MS, System::nanoTime);
        assertEquals(RobotStatus.NOT_ACTIVE, robot.read(0, MS));
        assertEquals(RobotStatus.NOT_ACTIVE, robot.write(0, MS, new Command(0, 1, 10, new double[4])));
        robot.close();
    }

    @Test
    void shouldRefuseInvalidRobotIdsAndSettings() {
        assertThrows(IllegalArgumentException.class, () -> new MqttTopics("arm/1"));
        assertThrows(IllegalArgumentException.class, () -> new MqttTopics("arm+"));
        assertThrows(IllegalArgumentException.class, () -> new MqttTopics("#"));
        assertThrows(IllegalArgumentException.class, () -> new MqttTopics(""));
        assertThrows(IllegalArgumentException.class, () -> MqttLinkConfig.of("http://x", "arm-1"));
        assertThrows(IllegalArgumentException.class, () -> MqttLinkConfig.of("ssl://127.0.0.1:1", "arm-1"));
        assertEquals("farl/v1/arm-1/command", new MqttTopics("arm-1").command());
    }

    @Test
    void shouldTurnNagleOffOnPlainAndTlsSockets() throws Exception {
        try (Socket s = NoDelaySocketFactory.plain().createSocket()) {
            assertTrue(s.getTcpNoDelay());
        }
        try (Socket s = NoDelaySocketFactory.tls((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket()) {
            assertTrue(s.getTcpNoDelay());
        }
    }
}
