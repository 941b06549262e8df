/**
 * Dutch names of the 64 symbols of emoji verification (SAS), keyed by the English name that
 * matrix-js-sdk gives with each symbol. The symbol is what she compares; the name helps where a
 * symbol renders poorly and is what a screen reader says.
 */
const DUTCH = {
  Dog: 'Hond', Cat: 'Kat', Lion: 'Leeuw', Horse: 'Paard', Unicorn: 'Eenhoorn', Pig: 'Varken',
  Elephant: 'Olifant', Rabbit: 'Konijn', Panda: 'Panda', Rooster: 'Haan', Penguin: 'Pinguïn',
  Turtle: 'Schildpad', Fish: 'Vis', Octopus: 'Octopus', Butterfly: 'Vlinder', Flower: 'Bloem',
  Tree: 'Boom', Cactus: 'Cactus', Mushroom: 'Paddenstoel', Globe: 'Wereldbol', Moon: 'Maan',
  Cloud: 'Wolk', Fire: 'Vuur', Banana: 'Banaan', Apple: 'Appel', Strawberry: 'Aardbei', Corn: 'Maïs',
  Pizza: 'Pizza', Cake: 'Taart', Heart: 'Hart', Smiley: 'Smiley', Robot: 'Robot', Hat: 'Hoed',
  Glasses: 'Bril', Spanner: 'Moersleutel', Santa: 'Kerstman', 'Thumbs Up': 'Duim omhoog',
  Umbrella: 'Paraplu', Hourglass: 'Zandloper', Clock: 'Klok', Gift: 'Cadeau', 'Light Bulb': 'Gloeilamp',
  Book: 'Boek', Pencil: 'Potlood', Paperclip: 'Paperclip', Scissors: 'Schaar', Lock: 'Slot', Key: 'Sleutel',
  Hammer: 'Hamer', Telephone: 'Telefoon', Flag: 'Vlag', Train: 'Trein', Bicycle: 'Fiets',
  Aeroplane: 'Vliegtuig', Rocket: 'Raket', Trophy: 'Trofee', Ball: 'Bal', Guitar: 'Gitaar',
  Trumpet: 'Trompet', Bell: 'Bel', Anchor: 'Anker', Headphones: 'Koptelefoon', Folder: 'Map', Pin: 'Punaise',
};

export const SAS_NAMES_NL = DUTCH;

/** The symbol's name in the page's language (English as matrix-js-sdk gives it otherwise). */
export function sasName(english, language) {
  return language === 'nl' ? DUTCH[english] ?? english : english;
}

/** The list of symbols to compare, as `<li>` items (symbol hidden from screen readers, name read). */
export function sasItems(document, emoji, language) {
  return emoji.map(([symbol, name]) => {
    const item = document.createElement('li');
    const shown = document.createElement('span');
    shown.className = 'symbol';
    shown.setAttribute('aria-hidden', 'true');
    shown.textContent = symbol;
    const label = document.createElement('span');
    label.className = 'name';
    label.textContent = sasName(name, language);
    item.append(shown, label);
    return item;
  });
}
