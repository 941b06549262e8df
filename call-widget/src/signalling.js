import { MatrixCapabilities, WidgetApi, WidgetApiToWidgetAction } from 'matrix-widget-api';
import { SIGNAL_EVENT_TYPE, parseSignal } from './protocol.js';

/**
 * The widget's only line to Matrix: the host client, through matrix-widget-api.
 *
 * It asks for the least it needs: send and receive one room event type (the call signals) and the
 * homeserver's TURN credentials. It cannot read the room's history, its members or its state, and
 * it never talks to the homeserver itself, so it holds no access token.
 */
export const CAPABILITIES = [
  `org.matrix.msc2762.send.event:${SIGNAL_EVENT_TYPE}`,
  `org.matrix.msc2762.receive.event:${SIGNAL_EVENT_TYPE}`,
  MatrixCapabilities.MSC3846TurnServers,
];

/**
 * matrix-widget-api logs every message it posts, SDP and names included, to the browser console.
 * On a shared or borrowed computer that console is readable by the next person: post without it.
 */
function keepSignalsOutOfTheConsole(transport) {
  if (typeof transport.sendInternal === 'function') {
    transport.sendInternal = function postQuietly(message) {
      this.transportWindow.postMessage(message, this.targetOrigin);
    };
  }
}

export class Signalling {
  /**
   * @param {{widgetId: string, clientOrigin: string}} params from the widget URL
   * @param {(message: object) => void} onSignal called with each valid signal from the room
   */
  constructor(params, onSignal, onMemberGone = null) {
    this.api = new WidgetApi(params.widgetId, params.clientOrigin);
    keepSignalsOutOfTheConsole(this.api.transport);
    this.api.requestCapabilityToSendEvent(SIGNAL_EVENT_TYPE);
    this.api.requestCapabilityToReceiveEvent(SIGNAL_EVENT_TYPE);
    this.api.requestCapability(MatrixCapabilities.MSC3846TurnServers);
    if (onMemberGone) {
      // A group call follows who is in the room: someone removed or gone from it loses their
      // connections at once, whatever their own widget does.
      this.api.requestCapabilityToReceiveState('m.room.member');
    }
    this.api.on(`action:${WidgetApiToWidgetAction.SendEvent}`, (event) => {
      event.preventDefault();
      this.api.transport.reply(event.detail, {});
      const data = event.detail.data;
      if (onMemberGone && data?.type === 'm.room.member' && typeof data.state_key === 'string'
          && !['join', 'invite'].includes(data.content?.membership)) {
        onMemberGone(data.state_key);
        return;
      }
      const message = parseSignal(data);
      if (message) {
        onSignal(message);
      }
    });
    this.ready = new Promise((resolve) => this.api.once('ready', resolve));
    this.turnServers = [];
  }

  /** Starts the widget API and resolves once the host has answered the capability request. */
  async start() {
    this.api.start();
    await this.api.sendContentLoaded();
    await this.ready;
    if (!this.canSignal()) {
      return false;
    }
    if (this.api.hasCapability(MatrixCapabilities.MSC3846TurnServers)) {
      this.watchTurnServers();
    }
    return true;
  }

  canSignal() {
    return this.api.hasCapability(`org.matrix.msc2762.send.event:${SIGNAL_EVENT_TYPE}`)
      && this.api.hasCapability(`org.matrix.msc2762.receive.event:${SIGNAL_EVENT_TYPE}`);
  }

  send(content) {
    return this.api.sendRoomEvent(SIGNAL_EVENT_TYPE, content);
  }

  /** The latest TURN credentials from the homeserver, as RTCIceServer entries. */
  iceServers() {
    return this.turnServers;
  }

  /** Waits up to `ms` for the first TURN credentials (they arrive right after the host answers). */
  async awaitTurnServers(ms) {
    if (this.turnServers.length > 0 || !this.firstTurn) {
      return this.turnServers;
    }
    await Promise.race([this.firstTurn, new Promise((resolve) => setTimeout(resolve, ms))]);
    return this.turnServers;
  }

  watchTurnServers() {
    let first;
    this.firstTurn = new Promise((resolve) => { first = resolve; });
    (async () => {
      // The host renews the credentials before they expire and yields each new set.
      for await (const server of this.api.getTurnServers()) {
        this.turnServers = [{ urls: server.uris, username: server.username, credential: server.password }];
        first();
      }
    })().catch(() => first());
  }
}
