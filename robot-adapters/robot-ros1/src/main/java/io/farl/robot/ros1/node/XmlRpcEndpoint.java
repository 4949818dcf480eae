package io.farl.robot.ros1.node;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;

/**
 * One ROS 1 XML-RPC endpoint (the master or a node's slave API). Every ROS call answers
 * {@code [code, statusMessage, value]}; {@link #call} returns the value for code 1 and throws
 * {@link Ros1Exception} otherwise. Calls have connection and reply timeouts so a dead peer never hangs a thread.
 */
public final class XmlRpcEndpoint {
    private final String uri;
    private final XmlRpcClient client;

    public XmlRpcEndpoint(String uri, int timeoutMillis) {
        this.uri = uri;
        XmlRpcClientConfigImpl config = new XmlRpcClientConfigImpl();
        try {
            URL url = URI.create(uri).toURL();
            config.setServerURL(url);
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("bad XML-RPC URI " + uri, e);
        }
        config.setConnectionTimeout(timeoutMillis);
        config.setReplyTimeout(timeoutMillis);
        config.setEnabledForExtensions(false);
        client = new XmlRpcClient();
        client.setConfig(config);
    }

    public String uri() {
        return uri;
    }

    /** Calls {@code method} and returns the value of a successful answer. */
    public Object call(String method, Object... params) {
        Object answer;
        try {
            answer = client.execute(method, params);
        } catch (XmlRpcException | RuntimeException e) {
            throw new Ros1Exception(method + " on " + uri + " failed: " + e.getMessage(), e);
        }
        if (!(answer instanceof Object[] a) || a.length != 3 || !(a[0] instanceof Integer code)) {
            throw new Ros1Exception(method + " on " + uri + ": malformed answer " + answer);
        }
        if (code != 1) {
            throw new Ros1Exception(method + " on " + uri + " answered " + code + ": " + a[1]);
        }
        return a[2];
    }
}
