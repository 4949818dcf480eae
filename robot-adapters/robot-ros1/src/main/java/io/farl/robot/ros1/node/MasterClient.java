package io.farl.robot.ros1.node;

import java.util.ArrayList;
import java.util.List;

/**
 * The ROS 1 master API as used by one node ({@code callerId}, slave URI {@code callerApi}). Blocking calls with the
 * endpoint's timeout: call them from lifecycle or I/O threads, never from the control loop.
 */
public final class MasterClient {
    private final XmlRpcEndpoint master;
    private final String callerId;

    public MasterClient(String masterUri, String callerId, int timeoutMillis) {
        this.master = new XmlRpcEndpoint(masterUri, timeoutMillis);
        this.callerId = callerId;
    }

    public String uri() {
        return master.uri();
    }

    /** @return the slave URIs of the topic's current subscribers */
    public List<String> registerPublisher(String topic, String type, String callerApi) {
        return strings(master.call("registerPublisher", callerId, topic, type, callerApi));
    }

    /** @return the number of registrations removed (0 when none) */
    public int unregisterPublisher(String topic, String callerApi) {
        return (Integer) master.call("unregisterPublisher", callerId, topic, callerApi);
    }

    /** @return the slave URIs of the topic's current publishers */
    public List<String> registerSubscriber(String topic, String type, String callerApi) {
        return strings(master.call("registerSubscriber", callerId, topic, type, callerApi));
    }

    public int unregisterSubscriber(String topic, String callerApi) {
        return (Integer) master.call("unregisterSubscriber", callerId, topic, callerApi);
    }

    /** @return the slave URI of {@code nodeName} */
    public String lookupNode(String nodeName) {
        return (String) master.call("lookupNode", callerId, nodeName);
    }

    /** @return {topic, type} pairs of published topics under {@code subgraph} ("" for all) */
    public List<String[]> getPublishedTopics(String subgraph) {
        List<String[]> out = new ArrayList<>();
        for (Object o : (Object[]) master.call("getPublishedTopics", callerId, subgraph)) {
            Object[] pair = (Object[]) o;
            out.add(new String[] {(String) pair[0], (String) pair[1]});
        }
        return out;
    }

    public int getPid() {
        return (Integer) master.call("getPid", callerId);
    }

    public Object getParam(String key) {
        return master.call("getParam", callerId, key);
    }

    public void setParam(String key, Object value) {
        master.call("setParam", callerId, key, value);
    }

    public boolean hasParam(String key) {
        return (Boolean) master.call("hasParam", callerId, key);
    }

    public void deleteParam(String key) {
        master.call("deleteParam", callerId, key);
    }

    static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        for (Object o : (Object[]) value) {
            out.add((String) o);
        }
        return out;
    }
}
