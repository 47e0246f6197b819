package io.ravel.node.cli;

import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.entity.EnumOutter;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.error.RaftException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one line a replica prints when its Raft node fails; the full-disk case is told apart. */
class StopOnRaftFailureTest {

    @Test
    void fullDiskIsNamed(@TempDir Path dir) {
        RaftException e = new RaftException(EnumOutter.ErrorType.ERROR_TYPE_LOG,
                new Status(RaftError.EIO, "Fail to append log entries"));
        e.initCause(new IOException("While appending to file: 000010.log: No space left on device"));
        String reason = new StopOnRaftFailure(dir).reason(e);
        assertTrue(reason.startsWith("no space left on device for " + dir), reason);
        assertTrue(reason.contains("start the replica again"), reason);
    }

    @Test
    void otherFailuresSayWhat(@TempDir Path dir) {
        RaftException e = new RaftException(EnumOutter.ErrorType.ERROR_TYPE_STATE_MACHINE,
                new Status(RaftError.ESTATEMACHINE, "state machine write failed"));
        String reason = new StopOnRaftFailure(dir).reason(e);
        assertTrue(reason.contains("state machine write failed") && !reason.contains("\n"), reason);
    }
}
