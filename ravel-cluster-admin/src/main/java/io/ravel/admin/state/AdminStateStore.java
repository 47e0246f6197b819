package io.ravel.admin.state;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ravel.admin.sharding.OwnerTable;
import io.ravel.proto.Node;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin's durable state in RocksDB under {@code --backupPath}: clusters (with their leader), replicas,
 * the partition owner table and the relocation plan. Written only on membership and relocation changes,
 * each change as one synced atomic batch; never per client request.
 *
 * <p>Layout: {@code cluster/<id>} → JSON {@link ClusterRecord}; {@code replica/<nodeId>} → protobuf
 * {@link Node} (its cluster_id names the cluster); {@code meta/owners} → JSON array of 271 cluster ids or
 * nulls; {@code meta/plan} → JSON {@link PlanRecord}; {@code meta/ownerEpoch} → JSON number (absent in a
 * store written before the ownership fence: epoch 0). Not thread-safe: {@link AdminState} serialises use.
 */
public final class AdminStateStore implements AutoCloseable {

    /** What the store held when it was opened. */
    public record Contents(Map<String, ClusterRecord> clusters, Map<String, Node> replicas,
                           OwnerTable owners, PlanRecord plan, long ownerEpoch) {
    }

    private static final String CLUSTER = "cluster/";
    private static final String REPLICA = "replica/";
    private static final byte[] OWNERS = bytes("meta/owners");
    private static final byte[] PLAN = bytes("meta/plan");
    private static final byte[] OWNER_EPOCH = bytes("meta/ownerEpoch");

    static {
        RocksDB.loadLibrary();
    }

    private final ObjectMapper json = new ObjectMapper();
    private final Options options;
    private final RocksDB db;
    private final WriteOptions syncWrites = new WriteOptions().setSync(true);

    private AdminStateStore(Options options, RocksDB db) {
        this.options = options;
        this.db = db;
    }

    /** Opens (creating if needed) the store in {@code dir}, which must exist and be writable. */
    public static AdminStateStore open(Path dir) {
        Options options = new Options().setCreateIfMissing(true).setKeepLogFileNum(2).setMaxManifestFileSize(4 << 20);
        try {
            return new AdminStateStore(options, RocksDB.open(options, dir.resolve("state").toString()));
        } catch (RocksDBException e) {
            options.close();
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            if (why.contains("lock")) {
                why = "it is in use by another ravel_cluster_admin (" + why + ")";
            }
            throw new StateStoreException("cannot open admin state in " + dir + ": " + why, e);
        }
    }

    public Contents load() {
        Map<String, ClusterRecord> clusters = new LinkedHashMap<>();
        Map<String, Node> replicas = new LinkedHashMap<>();
        try (RocksIterator it = db.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                String key = new String(it.key(), StandardCharsets.UTF_8);
                if (key.startsWith(CLUSTER)) {
                    ClusterRecord c = json.readValue(it.value(), ClusterRecord.class);
                    clusters.put(c.id(), c);
                } else if (key.startsWith(REPLICA)) {
                    Node n = Node.parseFrom(it.value());
                    replicas.put(n.getId(), n);
                }
            }
            byte[] ownersBytes = db.get(OWNERS);
            OwnerTable owners = ownersBytes == null ? OwnerTable.empty()
                    : OwnerTable.of(json.readValue(ownersBytes, new TypeReference<List<String>>() { }));
            byte[] planBytes = db.get(PLAN);
            PlanRecord plan = planBytes == null ? PlanRecord.EMPTY : json.readValue(planBytes, PlanRecord.class);
            byte[] epochBytes = db.get(OWNER_EPOCH);
            long ownerEpoch = epochBytes == null ? 0 : json.readValue(epochBytes, Long.class);
            return new Contents(clusters, replicas, owners, plan, ownerEpoch);
        } catch (RocksDBException | IOException e) {
            throw new StateStoreException("cannot read admin state: " + e.getMessage(), e);
        }
    }

    /** Writes every update of {@code change} in one synced batch. */
    public void write(StateChange change) {
        try (WriteBatch batch = new WriteBatch()) {
            for (ClusterRecord c : change.clusterPuts) {
                batch.put(bytes(CLUSTER + c.id()), json.writeValueAsBytes(c));
            }
            for (String id : change.clusterDeletes) {
                batch.delete(bytes(CLUSTER + id));
            }
            for (Node n : change.replicaPuts) {
                batch.put(bytes(REPLICA + n.getId()), n.toByteArray());
            }
            for (String id : change.replicaDeletes) {
                batch.delete(bytes(REPLICA + id));
            }
            if (change.owners != null) {
                batch.put(OWNERS, json.writeValueAsBytes(change.owners.asList()));
            }
            if (change.plan != null) {
                batch.put(PLAN, json.writeValueAsBytes(change.plan));
            }
            if (change.ownerEpoch != null) {
                batch.put(OWNER_EPOCH, json.writeValueAsBytes(change.ownerEpoch));
            }
            db.write(syncWrites, batch);
        } catch (RocksDBException | IOException e) {
            throw new StateStoreException("cannot write admin state: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        syncWrites.close();
        db.close();
        options.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

}
