import { ClientWidgetApi, Widget, WidgetDriver } from 'matrix-widget-api';
import { listenForShift } from './quick-exit.js';

const SIGNAL = 'be.praatbrug.call.signal';

/**
 * Hosts Praatbrug's call widget inside the client page, the way Element hosts it for the
 * counsellor: the widget's signalling events go out through this page's own Matrix client, so in
 * the encrypted room they are end-to-end encrypted like the chat. The widget gets exactly what it
 * asks for: sending and receiving its signal events, and the homeserver's TURN credentials.
 */
class ConversationDriver extends WidgetDriver {
  constructor(conversation) {
    super();
    this.conversation = conversation;
  }

  async validateCapabilities(requested) {
    const allowed = new Set([
      `org.matrix.msc2762.send.event:${SIGNAL}`,
      `org.matrix.msc2762.receive.event:${SIGNAL}`,
      'town.robin.msc3846.turn_servers',
      // A group call ends its connections to anyone who is no longer in the room.
      'org.matrix.msc2762.receive.state_event:m.room.member',
    ]);
    return new Set([...requested].filter((capability) => allowed.has(capability)));
  }

  async sendEvent(type, content, stateKey, targetRoom) {
    const roomId = targetRoom ?? this.conversation.account.roomId;
    if (stateKey !== null && stateKey !== undefined) {
      throw new Error('the call widget sends no state');
    }
    const { event_id: eventId } = await this.conversation.client.sendEvent(roomId, type, content);
    return { roomId, eventId };
  }

  async* getTurnServers() {
    const turn = await this.conversation.client.turnServer();
    if (turn?.uris?.length) {
      yield { uris: turn.uris, username: turn.username, password: turn.password };
    }
  }
}

export class CallHost {
  /** @param moderator the counsellor's page: the widget may take someone out of a group call */
  constructor({ container, conversation, language, displayName, moderator = false }) {
    this.moderator = moderator;
    this.container = container;
    this.conversation = conversation;
    this.language = language;
    this.displayName = displayName;
    this.api = null;
    this.startedAt = 0;
  }

  /** Loads the widget once; later calls only show it again. */
  open() {
    if (this.api) {
      return;
    }
    const { account } = this.conversation;
    const widget = new Widget({
      id: 'praatbrug_call',
      creatorUserId: account.userId,
      type: 'm.custom',
      url: `${new URL('../widget/call/', document.baseURI).href}?roomId=$matrix_room_id`
        + '&userId=$matrix_user_id&displayName=$matrix_display_name'
        + '&lang=$org.matrix.msc2873.client_language',
      waitForIframeLoad: false,
      data: {},
    });
    const url = new URL(widget.getCompleteUrl({
      widgetRoomId: account.roomId,
      currentUserId: account.userId,
      userDisplayName: this.displayName,
      clientLanguage: this.language,
    }));
    url.searchParams.set('widgetId', widget.id);
    url.searchParams.set('parentUrl', window.location.href.split('#')[0]);
    // A family session's call holds 3 or 4 people: the room's widget (the bridge's) says how many.
    const people = this.conversation.callPeople?.();
    if (people) {
      url.searchParams.set('people', String(people));
      const counsellor = this.conversation.callCounsellor?.();
      if (counsellor) {
        url.searchParams.set('counsellor', counsellor);
      }
      if (this.moderator) {
        url.searchParams.set('moderator', 'true');
      }
    }
    const iframe = document.createElement('iframe');
    iframe.id = 'call-frame';
    iframe.title = 'Videogesprek / Video call';
    iframe.allow = 'camera; microphone; display-capture; autoplay';
    this.container.append(iframe);
    this.iframe = iframe;
    // The widget is served from the bridge, like this page: the quick-exit shortcut works in it too.
    iframe.addEventListener('load', () => {
      try {
        listenForShift(iframe.contentWindow);
      } catch {
        // another origin: the header's button still works
      }
    });
    this.startedAt = Date.now();
    this.api = new ClientWidgetApi(widget, iframe, new ConversationDriver(this.conversation));
    this.api.on('ready', () => { window.callWidgetReady = true; });
    iframe.src = url.href;
  }

  /**
   * Quick exit: camera and microphone end now, then the widget goes. The widget (same origin)
   * stops its own tracks, also the camera behind a background effect; removing its frame ends
   * whatever is left.
   */
  stopMedia() {
    const iframe = this.iframe;
    if (!iframe) {
      return;
    }
    try {
      iframe.contentWindow?.praatbrugStopMedia?.();
    } catch {
      // another origin: removing the frame ends its media
    }
    iframe.remove();
    this.iframe = null;
  }

  /**
   * Passes a signal event to the widget. Only events from after the widget started: like Element,
   * the widget never sees old signalling (a finished call must not ring again).
   */
  feed(event) {
    if (!this.api || event.getTs() < this.startedAt - 1000) {
      return;
    }
    this.api.feedEvent(event.getEffectiveEvent(), event.getRoomId()).catch(() => {});
  }
}
