package be.praatbrug.bridge.appservice;

import be.praatbrug.policy.MatrixEvent;

/**
 * Watches pushed transactions and their events go by (metrics). Called on the event loop; must be
 * quick and must not look at event content.
 */
public interface TransactionObserver {

  TransactionObserver NONE = new TransactionObserver() {};

  /** A transaction was answered: {@code result} is ok or error. */
  default void transaction(String result, int events) {}

  /** One event's handling ended {@code nanosSinceReceived} after its transaction arrived. */
  default void event(MatrixEvent event, EventOutcome outcome, long nanosSinceReceived) {}

  /** Both observers, in this order. */
  static TransactionObserver both(TransactionObserver first, TransactionObserver second) {
    return new TransactionObserver() {
      @Override
      public void transaction(String result, int events) {
        first.transaction(result, events);
        second.transaction(result, events);
      }

      @Override
      public void event(MatrixEvent event, EventOutcome outcome, long nanosSinceReceived) {
        first.event(event, outcome, nanosSinceReceived);
        second.event(event, outcome, nanosSinceReceived);
      }
    };
  }
}
