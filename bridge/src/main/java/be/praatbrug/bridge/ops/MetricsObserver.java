package be.praatbrug.bridge.ops;

import be.praatbrug.bridge.appservice.EventOutcome;
import be.praatbrug.bridge.appservice.TransactionObserver;
import be.praatbrug.policy.MatrixEvent;
import java.time.Duration;

/** Turns what the appservice API sees into metrics: transactions, events by type, decisions. */
public final class MetricsObserver implements TransactionObserver {

  private final BridgeMetrics metrics;

  public MetricsObserver(BridgeMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void transaction(String result, int events) {
    metrics.transaction(result, events);
  }

  @Override
  public void event(MatrixEvent event, EventOutcome outcome, long nanosSinceReceived) {
    String decision = outcome instanceof EventOutcome.Handled ? "handled"
        : outcome instanceof EventOutcome.Ignored ? "ignored" : "failed";
    boolean acted = outcome instanceof EventOutcome.Handled handled && !handled.actions().isEmpty();
    metrics.event(event.type(), decision, Duration.ofNanos(nanosSinceReceived), acted);
  }
}
