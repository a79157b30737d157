package dev.overseer.samples;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/example-app is an application as a user writes it, from the published coordinates. It is
 * not built by this reactor (its dependencies would have to be installed first); this test
 * checks that its pom names this build's coordinates and compiles its sources against this
 * build's modules, and that the README shows its code.
 */
class SampleProjectTest {

  static final Path APP = Path.of("../docs/example-app");

  static Document pom(Path file) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
  }

  static String text(Element parent, String tag) {
    NodeList nodes = parent.getElementsByTagName(tag);
    return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
  }

  static List<String> coordinates(Document pom, String section) {
    List<String> out = new ArrayList<>();
    NodeList deps = pom.getElementsByTagName("dependency");
    for (int i = 0; i < deps.getLength(); i++) {
      Element dep = (Element) deps.item(i);
      boolean managed = "dependencies".equals(dep.getParentNode().getNodeName())
          && "dependencyManagement".equals(dep.getParentNode().getParentNode().getNodeName());
      if (managed == section.equals("managed")) {
        out.add(text(dep, "groupId") + ":" + text(dep, "artifactId") + (text(dep, "version") == null ? "" : ":" + text(dep, "version")));
      }
    }
    return out;
  }

  @Test
  void dependsOnThePublishedCoordinatesThroughTheBom() throws Exception {
    Document ours = pom(Path.of("../pom.xml"));
    String version = text(ours.getDocumentElement(), "version");
    Document app = pom(APP.resolve("pom.xml"));
    assertThat(coordinates(app, "managed")).contains("dev.overseer:overseer-bom:" + version);
    assertThat(coordinates(app, "direct")).contains("dev.overseer:overseer-core", "dev.overseer:overseer-web-console");
    // the BOM manages exactly the library modules, at this build's version
    Document bom = pom(Path.of("../bom/pom.xml"));
    assertThat(text(bom.getDocumentElement(), "version")).isEqualTo(version);
    assertThat(coordinates(bom, "managed")).containsExactlyInAnyOrder(
        "dev.overseer:overseer-core:" + version, "dev.overseer:overseer-cluster:" + version,
        "dev.overseer:overseer-web-console:" + version);
  }

  @Test
  void compilesAgainstThisBuildsModules() throws Exception {
    List<File> sources;
    try (Stream<Path> files = Files.walk(APP.resolve("src/main/java"))) {
      sources = files.filter(f -> f.toString().endsWith(".java")).map(Path::toFile).collect(Collectors.toList());
    }
    assertThat(sources).isNotEmpty();
    Path out = Files.createTempDirectory("example-app");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
      boolean ok = javac.getTask(null, files, diagnostics,
          List.of("--release", "17", "-proc:none", "-classpath", System.getProperty("java.class.path"),
              "-d", out.toString()),
          null, files.getJavaFileObjectsFromFiles(sources)).call();
      assertThat(ok).as(diagnostics.getDiagnostics().toString()).isTrue();
    }
    assertThat(out.resolve("com/example/shop/ShopApp.class")).exists();
  }

  @Test
  void theReadmeShowsItsMetricsHealthAndMountingCode() throws Exception {
    List<String> lines = Files.readAllLines(APP.resolve("src/main/java/com/example/shop/ShopApp.java"));
    String readme = Files.readString(Path.of("../README.md"));
    for (String part : List.of("metrics", "health", "mount")) {
      int begin = -1;
      int end = -1;
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).trim().equals("// README:" + part + ":begin")) {
          begin = i;
        } else if (lines.get(i).trim().equals("// README:" + part + ":end")) {
          end = i;
        }
      }
      assertThat(begin).as(part + " markers").isNotNegative();
      String indent = lines.get(begin).substring(0, lines.get(begin).indexOf("//"));
      String snippet = lines.subList(begin + 1, end).stream()
          .map(l -> l.startsWith(indent) ? l.substring(indent.length()) : l)
          .collect(Collectors.joining("\n"));
      assertThat(readme).as("README shows the " + part + " part of ShopApp.java").contains(snippet);
    }
  }
}
