package io.farl.robot.mqtt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Baseline for the lock-step figure: two bare Paho clients echo a 64-byte QoS 0 message through a mosquitto started
 * here (TCP_NODELAY on both sides), with none of the link's threads. {@code main([count])} prints p50/p99.
 */
final class PahoPingPongBench {
    private PahoPingPongBench() {
    }

    private static MqttAsyncClient client(String uri, String id, MqttCallback cb) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(uri, id, null);
        c.setCallback(cb);
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setSocketFactory(NoDelaySocketFactory.plain());
        c.connect(o).waitForCompletion(5000);
        return c;
    }

    /** Calls {@code onMessage} for every message. */
    private record OnMessage(java.util.function.Consumer<MqttMessage> onMessage) implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage m) {
            onMessage.accept(m);
        }

        @Override
        public void disconnected(MqttDisconnectResponse r) {
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
        }

        @Override
        public void deliveryComplete(IMqttToken t) {
        }

        @Override
        public void connectComplete(boolean reconnect, String uri) {
        }

        @Override
        public void authPacketArrived(int code, MqttProperties p) {
        }
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        Path dir = Files.createTempDirectory("farl-pingpong");
        try (MosquittoBroker broker = new MosquittoBroker(dir, false)) {
            broker.start();
            AtomicLong received = new AtomicLong();
            MqttAsyncClient[] echo = new MqttAsyncClient[1];
            echo[0] = client(broker.uri(), "echo", new OnMessage(m -> {
                try {
                    echo[0].publish("bench/pong", new MqttMessage(m.getPayload(), 0, false, null));
                } catch (MqttException e) {
                    throw new IllegalStateException(e);
                }
            }));
            echo[0].subscribe("bench/ping", 0).waitForCompletion(5000);
            MqttAsyncClient ping = client(broker.uri(), "ping", new OnMessage(m -> received.incrementAndGet()));
            ping.subscribe("bench/pong", 0).waitForCompletion(5000);
            long[] rtt = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                ping.publish("bench/ping", new MqttMessage(new byte[64], 0, false, null));
                while (received.get() <= i) {
                    LockSupport.parkNanos(20_000);
                }
                rtt[i] = System.nanoTime() - t0;
            }
            Arrays.sort(rtt);
            System.out.printf("bare Paho ping-pong through mosquitto: %d round trips, p50 %.3f ms, p99 %.3f ms, "
                    + "max %.3f ms%n", n, rtt[n / 2] / 1e6, rtt[(int) (n * 0.99)] / 1e6, rtt[n - 1] / 1e6);
            ping.disconnect().waitForCompletion(2000);
            echo[0].disconnect().waitForCompletion(2000);
            ping.close();
            echo[0].close();
        }
    }
}
