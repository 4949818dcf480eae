/**
 * The MQTT v5 link between the controller and a robot-side bridge, protobuf payloads of {@code farl.v1} (topic
 * layout and messages: {@code protocol/README.md}).
 *
 * <ul>
 * <li>Controller side: {@link io.farl.robot.mqtt.MqttRobot}, a {@link io.farl.robot.api.Robot} whose {@code read}
 * and {@code write} never touch the network.</li>
 * <li>Robot side: {@link io.farl.robot.mqtt.MqttRobotBridge} (threads, MQTT) around
 * {@link io.farl.robot.mqtt.BridgeCore} (expiry, deadman, e-stop; pure logic), driving a
 * {@link io.farl.robot.mqtt.LocalArm}; {@link io.farl.robot.mqtt.RobotArm} adapts any local {@code Robot}.</li>
 * <li>Shared: {@link io.farl.robot.mqtt.MqttTopics}, {@link io.farl.robot.mqtt.ProtoCodec} (validating decoders),
 * {@code MqttLink} (one connection, reconnect with Resilience4j back-off on its own I/O thread, epochs),
 * {@code SendThread} (hand-off from a control thread to Paho), {@link io.farl.robot.mqtt.NoDelaySocketFactory}.</li>
 * </ul>
 */
package io.farl.robot.mqtt;
