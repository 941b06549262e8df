package be.praatbrug.bridge.ledger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The consent texts of every organisation: {@code <dir>/<organisation>/v<N>.<language>.md}, as
 * shipped in {@code policy/consent/} and adapted by each organisation (contact details).
 *
 * <p>Versions are never edited once used: a changed text is a new file {@code v<N+1>}, and clients
 * who consented to an older version are asked again (the consent gate compares versions). Loaded
 * once, blocking; an absent directory gives an empty catalogue so the bridge still starts.
 */
public final class ConsentTexts {

  private static final Pattern FILE = Pattern.compile("v([0-9]{1,4})\\.([a-z]{2})\\.md");

  private final List<ConsentText> texts;

  private ConsentTexts(List<ConsentText> texts) {
    this.texts = List.copyOf(texts);
  }

  public static ConsentTexts none() {
    return new ConsentTexts(List.of());
  }

  /** Reads every consent text under {@code directory}. */
  public static ConsentTexts load(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return none();
    }
    List<ConsentText> texts = new ArrayList<>();
    try (Stream<Path> organisations = Files.list(directory)) {
      for (Path organisation : organisations.filter(Files::isDirectory).sorted().toList()) {
        try (Stream<Path> files = Files.list(organisation)) {
          for (Path file : files.sorted().toList()) {
            Matcher name = FILE.matcher(file.getFileName().toString());
            if (name.matches()) {
              byte[] bytes = Files.readAllBytes(file);
              texts.add(new ConsentText(organisation.getFileName().toString(), "v" + name.group(1),
                  name.group(2), Sha256.hex(bytes), new String(bytes, StandardCharsets.UTF_8)));
            }
          }
        }
      }
    }
    return new ConsentTexts(texts);
  }

  public List<ConsentText> all() {
    return texts;
  }

  /** The newest version for {@code organisation} in {@code language}. */
  public Optional<ConsentText> current(String organisation, String language) {
    return texts.stream()
        .filter(text -> text.organisation().equals(organisation) && text.language().equals(language))
        .max(Comparator.comparingInt(text -> Integer.parseInt(text.version().substring(1))));
  }

  public Optional<ConsentText> find(String organisation, String version, String language) {
    return texts.stream()
        .filter(text -> text.organisation().equals(organisation) && text.version().equals(version)
            && text.language().equals(language))
        .findFirst();
  }
}
