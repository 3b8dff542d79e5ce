package dev.jpd.scheduler.operator;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.jpd.core.operator.Operator;
import dev.jpd.core.operator.Priority;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** The events operators grep for, in PD's words with key=value fields. */
@Timeout(30)
class OperatorControllerLogTest {
  Harness h;
  Logger logger;
  Level before;
  ListAppender<ILoggingEvent> captured;

  @BeforeEach
  void setUp() {
    h = new Harness();
    h.cluster.addLeaderRegion(1, 1, 2, 3);
    h.cluster.addLeaderRegion(2, 1, 2, 3);
    logger = (Logger) LoggerFactory.getLogger(OperatorController.class);
    before = logger.getLevel();
    logger.setLevel(Level.INFO);
    captured = new ListAppender<>();
    captured.start();
    logger.addAppender(captured);
  }

  @AfterEach
  void tearDown() {
    logger.detachAppender(captured);
    logger.setLevel(before);
  }

  List<String> lines() {
    return captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void anOperatorsLifeReadsAsInPd() {
    Operator ok = h.transferLeader(1, 1, 2, Priority.MEDIUM);
    Operator stuck = h.transferLeader(2, 1, 3, Priority.MEDIUM);
    h.oc.add(ok);
    h.oc.add(stuck);
    h.advance(Duration.ofSeconds(1));
    h.report(FakeCluster.Rg.of(1).leader(2));
    h.advance(Duration.ofSeconds(60));
    h.report(FakeCluster.Rg.of(2));

    List<String> lines = lines();
    assertThat(lines).anyMatch(l -> l.startsWith("add operator region-id=1 operator=\""
        + "transfer-hot-read-leader {transfer-hot-read-leader} (kind:leader, region:1(10, 10)"));
    assertThat(lines).contains("send schedule command region-id=1 "
        + "step=\"transfer leader from store 1 to store 2\" source=create");
    assertThat(lines).anyMatch(l -> l.startsWith("operator finish region-id=1 takes=1000ms "));
    assertThat(lines).anyMatch(l -> l.startsWith("operator timeout region-id=2 takes=61000ms "));
    assertThat(lines).noneMatch(l -> l.startsWith("operator finish region-id=2"));
  }
}
