package be.praatbrug.bridge.entry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.rooms.RoomRegistry;
import be.praatbrug.policy.rooms.Place;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a child under 12 can lean on a parent's own place instead of naming a guardian. */
class LinkConsentTest {

  private static final String FAMILY = "!family:caw.test";
  private static final String SINGLE = "!single:caw.test";

  private final RoomRegistry registry = new RoomRegistry();
  private final LinkConsent links = new LinkConsent(null, null, registry, FAMILY::equals);

  @Test
  void onlyAParentsPlaceOtherThanTheLinksOwnCounts() {
    // An interpreter's place is no parent's.
    registry.setPlaces(FAMILY, List.of(new Place(2, "C-BBBB-BBBB", null)));
    assertFalse(links.hasParentPlace(FAMILY, Place.CLIENT));

    registry.setPlaces(FAMILY, List.of(new Place(2, "C-BBBB-BBBB", null),
        new Place(3, "C-CCCC-CCCC", null, true)));
    assertTrue(links.hasParentPlace(FAMILY, Place.CLIENT));
    assertTrue(links.hasParentPlace(FAMILY, 2));
    // The parent's own link cannot lean on itself.
    assertFalse(links.hasParentPlace(FAMILY, 3));
  }

  @Test
  void aOneToOneRoomHasNone() {
    registry.setPlaces(SINGLE, List.of(new Place(2, "C-BBBB-BBBB", null, true)));
    assertFalse(links.hasParentPlace(SINGLE, Place.CLIENT));
    assertFalse(links.hasParentPlace("!unknown:caw.test", Place.CLIENT));
  }
}
