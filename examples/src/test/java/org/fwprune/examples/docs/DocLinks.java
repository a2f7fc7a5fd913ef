package org.fwprune.examples.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relative link and image targets of a Markdown page: {@code [text](target)}, {@code
 * ![alt](target)}, reference definitions {@code [id]: target} and HTML {@code src}/{@code href}
 * attributes. Code (fenced blocks and inline spans) is skipped, and so are absolute URLs
 * ({@code https:}, {@code mailto:}) and links within the page ({@code #section}); a target's own
 * {@code #fragment} is dropped.
 */
final class DocLinks {

  private static final Pattern FENCE = Pattern.compile("(?ms)^\\s*```.*?^\\s*```[^\\n]*$");
  private static final Pattern INLINE_CODE = Pattern.compile("`[^`\\n]*`");
  private static final Pattern INLINE = Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?"
      + "(?:\\s+\"[^\"]*\")?\\s*\\)");
  private static final Pattern REFERENCE = Pattern.compile("(?m)^\\s{0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?"
      + "(?:\\s.*)?$");
  private static final Pattern HTML = Pattern.compile("(?i)\\b(?:src|href)\\s*=\\s*\"([^\"]+)\"");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

  private DocLinks() {}

  /** Returns the relative targets of {@code markdown}, in page order per kind, without fragment. */
  static List<String> relativeTargets(String markdown) {
    String text = INLINE_CODE.matcher(FENCE.matcher(markdown).replaceAll("")).replaceAll("");
    List<String> targets = new ArrayList<>();
    for (Pattern p : List.of(INLINE, REFERENCE, HTML)) {
      Matcher m = p.matcher(text);
      while (m.find()) {
        String target = m.group(1);
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        if (!path.isEmpty() && !SCHEME.matcher(path).find()) {
          targets.add(path);
        }
      }
    }
    return targets;
  }
}
