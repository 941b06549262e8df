package be.praatbrug.crypto.megolm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.crypto.CryptoException;
import be.praatbrug.crypto.CryptoException.Reason;
import org.junit.jupiter.api.Test;

class RoomKeyExportTest {

  private static final String JSON = "[{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"room_id\":\"!r:example.org\"}]";

  @Test
  void roundTripsWithTheRightPassphrase() {
    String file = RoomKeyExport.encrypt(JSON, "geheim wachtwoord".toCharArray(), 1000);
    assertTrue(file.startsWith(RoomKeyExport.HEADER + "\n"));
    assertTrue(file.endsWith(RoomKeyExport.FOOTER + "\n"));
    assertEquals(JSON, RoomKeyExport.decrypt(file, "geheim wachtwoord".toCharArray()));
  }

  @Test
  void wrongPassphraseOrChangedFileIsRefused() {
    String file = RoomKeyExport.encrypt(JSON, "juist".toCharArray(), 1000);
    assertEquals(Reason.BAD_PASSPHRASE_OR_FILE,
        assertThrows(CryptoException.class, () -> RoomKeyExport.decrypt(file, "fout".toCharArray())).reason());
    String[] lines = file.split("\n");
    char[] body = lines[1].toCharArray();
    body[60] = body[60] == 'A' ? 'B' : 'A';
    lines[1] = new String(body);
    String changed = String.join("\n", lines);
    assertEquals(Reason.BAD_PASSPHRASE_OR_FILE,
        assertThrows(CryptoException.class, () -> RoomKeyExport.decrypt(changed, "juist".toCharArray())).reason());
  }
}
