/**
 * The tiles of a group call: one per person in the call, each with their video, their name under
 * it and a muted flag, in a grid that suits desktop and phone (style.css, `.stage.mesh`). The
 * person's own tile stays the self view of the two-person layout, as one cell of the grid.
 */
export class PeerGrid {
  /** @param onRemove when set (the counsellor's widget), each tile has a button to take that person out */
  constructor(view, onRemove = null) {
    this.view = view;
    this.doc = view.doc;
    this.tiles = new Map();
    this.onRemove = onRemove;
  }

  /** Switches the stage to the grid (or back to the two-person layout). */
  use(on) {
    this.view.$('screen-call').querySelector('.stage').classList.toggle('mesh', on);
  }

  add(party, name) {
    if (this.tiles.has(party)) {
      this.setName(party, name);
      return;
    }
    const tile = this.doc.createElement('figure');
    tile.className = 'tile peer';
    tile.dataset.party = party;
    tile.dataset.camera = 'on';
    tile.dataset.screen = 'off';
    tile.dataset.state = 'connecting';
    tile.dataset.framesDecoded = '0';
    const video = this.doc.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    const placeholder = this.doc.createElement('div');
    placeholder.className = 'placeholder';
    placeholder.dataset.i18n = 'cameraOff';
    placeholder.textContent = this.view.t('cameraOff');
    const caption = this.doc.createElement('figcaption');
    const label = this.doc.createElement('span');
    label.className = 'peer-name';
    // A display name chosen by someone else: shown as text, never as markup.
    label.textContent = name;
    const muted = this.doc.createElement('span');
    muted.className = 'flag';
    muted.dataset.i18n = 'muted';
    muted.textContent = ` ${this.view.t('muted')}`;
    muted.hidden = true;
    caption.append(label, muted);
    tile.append(video, placeholder, caption);
    if (this.onRemove) {
      const remove = this.doc.createElement('button');
      remove.type = 'button';
      remove.className = 'remove-peer';
      remove.dataset.i18n = 'removePeer';
      remove.textContent = this.view.t('removePeer');
      remove.addEventListener('click', () => this.onRemove(party));
      tile.append(remove);
    }
    this.view.$('local-tile').before(tile);
    this.tiles.set(party, { tile, video, label, muted });
    this.count();
  }

  setName(party, name) {
    const entry = this.tiles.get(party);
    if (entry) {
      entry.label.textContent = name;
    }
  }

  setStream(party, stream) {
    const entry = this.tiles.get(party);
    if (entry && entry.video.srcObject !== stream) {
      entry.video.srcObject = stream;
    }
  }

  setMedia(party, media) {
    const entry = this.tiles.get(party);
    if (entry) {
      entry.tile.dataset.camera = media.camera || media.screen ? 'on' : 'off';
      entry.tile.dataset.screen = media.screen ? 'on' : 'off';
      entry.muted.hidden = media.microphone;
    }
  }

  /** `connecting`, `connected`, `reconnecting` or `failed`, for the tile's look (and tests). */
  setState(party, state) {
    const entry = this.tiles.get(party);
    if (entry) {
      entry.tile.dataset.state = state;
    }
  }

  setFramesDecoded(party, frames) {
    const entry = this.tiles.get(party);
    if (entry) {
      entry.tile.dataset.framesDecoded = String(frames);
    }
  }

  video(party) {
    return this.tiles.get(party)?.video ?? null;
  }

  remove(party) {
    const entry = this.tiles.get(party);
    if (entry) {
      entry.video.srcObject = null;
      entry.tile.remove();
      this.tiles.delete(party);
      this.count();
    }
  }

  clear() {
    for (const party of [...this.tiles.keys()]) {
      this.remove(party);
    }
  }

  /** The grid's size follows the number of people (CSS picks columns from it). */
  count() {
    this.view.$('screen-call').querySelector('.stage').dataset.people = String(this.tiles.size + 1);
  }
}
