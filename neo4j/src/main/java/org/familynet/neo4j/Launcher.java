package org.familynet.neo4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.QueryExecutionException;

/**
 * A Neo4j 5 Community kernel with a Bolt listener on 127.0.0.1, for familynet's tests and
 * for users without Docker.
 *
 * <p>Usage: {@code Launcher PORT HOME}: the databases, transaction logs and logs go under
 * {@code HOME}, and Neo4j settings ({@code server.memory.pagecache.size=256m}) are read from
 * {@code HOME/neo4j.conf} when it exists. Authentication is off unless the
 * environment variable {@code FAMILYNET_NEO4J_PASSWORD} is set, in which case the user
 * {@code neo4j} gets that password: never on the command line, where other users of the
 * machine could read it. Prints {@code familynet-neo4j ready bolt://127.0.0.1:PORT} once
 * Bolt accepts connections, and shuts the database down cleanly on SIGTERM, SIGINT or
 * when standard input closes (so it never outlives the process that started it).
 */
public final class Launcher {
    private static final String PASSWORD_VARIABLE = "FAMILYNET_NEO4J_PASSWORD";
    private static final String SAME_PASSWORD = "Old password and new password cannot be the same";

    private Launcher() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: Launcher PORT HOME");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path home = Path.of(args[1]).toAbsolutePath();
        Path settings = home.resolve("neo4j.conf");
        String password = System.getenv(PASSWORD_VARIABLE);
        boolean auth = password != null && !password.isEmpty();

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home);
        if (Files.isRegularFile(settings)) {
            builder.loadPropertiesFromFile(settings);
        }
        DatabaseManagementService dbms = builder
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stopped.countDown();
        }, "familynet-neo4j-shutdown"));

        if (auth) {
            GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
            try {
                system.executeTransactionally(
                        "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
            } catch (QueryExecutionException e) {
                // A home started before with the same password: the server refuses to "change" it.
                if (!String.valueOf(e.getMessage()).contains(SAME_PASSWORD)) {
                    throw e;
                }
            }
        }
        // Opening a transaction waits until the default database is available.
        dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
        System.out.println("familynet-neo4j ready bolt://127.0.0.1:" + port);
        System.out.flush();

        Thread watcher = new Thread(() -> {
            waitForEndOfInput(System.in);
            System.exit(0);
        }, "familynet-neo4j-stdin");
        watcher.setDaemon(true);
        watcher.start();
        stopped.await();
    }

    private static void waitForEndOfInput(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // Input is ignored; only its end matters.
            }
        } catch (IOException closed) {
            // A broken pipe is an end of input too.
        }
    }
}
