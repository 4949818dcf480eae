package io.farl.robot.ros1.node;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.XmlRpcHandler;
import org.apache.xmlrpc.XmlRpcRequest;
import org.apache.xmlrpc.server.XmlRpcServer;
import org.apache.xmlrpc.server.XmlRpcServerConfigImpl;
import org.apache.xmlrpc.webserver.WebServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's slave XML-RPC API, served on {@code host:0}: requestTopic, publisherUpdate, getBusInfo, getPid,
 * getMasterUri, shutdown. Answers {@code [code, status, value]} with 1 success, 0 failure, -1 caller error; the
 * work is delegated to a {@link Handler} (the node). Runs on the web server's own threads.
 */
final class SlaveServer {
    private static final Logger LOG = LoggerFactory.getLogger(SlaveServer.class);

    /** What the node answers; methods run on XML-RPC threads and must not block for long. */
    interface Handler {
        /** @return {@code ["TCPROS", host, port]}, or null when the topic is not published here */
        Object[] requestTopic(String callerId, String topic, Object[] protocols);

        void publisherUpdate(String topic, List<String> publisherUris);

        Object[] busInfo();

        String masterUri();

        void shutdownRequested(String callerId, String reason);
    }

    private final WebServer web;
    private final String host;

    SlaveServer(String host, Handler handler) throws IOException {
        this.host = host;
        web = new WebServer(0, InetAddress.getByName(host));
        XmlRpcServer server = web.getXmlRpcServer();
        ((XmlRpcServerConfigImpl) server.getConfig()).setEnabledForExtensions(false);
        ((XmlRpcServerConfigImpl) server.getConfig()).setKeepAliveEnabled(false);
        XmlRpcHandler dispatch = request -> answer(handler, request);
        server.setHandlerMapping(name -> dispatch);
        web.start();
    }

    String uri() {
        return "http://" + host + ":" + web.getPort() + "/";
    }

    void close() {
        web.shutdown();
    }

    private static Object answer(Handler h, XmlRpcRequest req) throws XmlRpcException {
        String method = req.getMethodName();
        try {
            String caller = req.getParameterCount() > 0 ? String.valueOf(req.getParameter(0)) : "";
            switch (method) {
                case "requestTopic": {
                    Object[] protocols = (Object[]) req.getParameter(2);
                    Object[] proto = h.requestTopic(caller, (String) req.getParameter(1), protocols);
                    return proto == null ? reply(-1, "topic not published by this node", 0)
                            : reply(1, "ready", proto);
                }
                case "publisherUpdate":
                    h.publisherUpdate((String) req.getParameter(1), MasterClient.strings(req.getParameter(2)));
                    return reply(1, "publishers updated", 0);
                case "getBusInfo":
                    return reply(1, "bus info", h.busInfo());
                case "getBusStats":
                    return reply(1, "bus stats", new Object[] {new Object[0], new Object[0], new Object[0]});
                case "getPid":
                    return reply(1, "pid", (int) ProcessHandle.current().pid());
                case "getMasterUri":
                    return reply(1, "master", h.masterUri());
                case "getSubscriptions":
                case "getPublications":
                    return reply(1, method, new Object[0]);
                case "paramUpdate":
                    return reply(1, "ignored", 0);
                case "shutdown":
                    h.shutdownRequested(caller, req.getParameterCount() > 1 ? String.valueOf(req.getParameter(1)) : "");
                    return reply(1, "shutdown", 0);
                default:
                    return reply(-1, "unknown method " + method, 0);
            }
        } catch (ClassCastException | ArrayIndexOutOfBoundsException e) {
            LOG.warn("bad {} call: {}", method, e.toString());
            return reply(-1, "bad arguments for " + method + ": " + e.getMessage(), 0);
        }
    }

    private static Object[] reply(int code, String status, Object value) {
        return new Object[] {code, status, value};
    }
}
