package dev.overseer.console;

import dev.overseer.cluster.RendezvousPlacement;
import dev.overseer.console.testing.ClusterFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster view in real headless Chromium, on a real 3-member Hazelcast cluster in this JVM
 * with the console on member 0: the members (this one marked), the distributed supervisor's
 * children under their owners, updated live as member 2 hands its children off and then leaves,
 * and the handoff events in the cluster view and the event log. Uses the browser
 * {@link ConsoleBrowserTest} opens (same setup, same checks on the CSP).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ConsoleClusterBrowserTest {

  private ClusterFixture fx;

  @BeforeAll
  static void openBrowser(@TempDir Path profile) {
    ConsoleBrowserTest.openBrowser(profile);
  }

  @AfterAll
  static void closeBrowser() {
    ConsoleBrowserTest.closeBrowser();
  }

  @AfterEach
  void close() {
    if (fx != null) {
      fx.close();
    }
  }

  private static WebDriver driver() {
    return ConsoleBrowserTest.driver;
  }

  private static <T> T until(String what, Function<WebDriver, T> condition) {
    return ConsoleBrowserTest.wait.withTimeout(Duration.ofSeconds(30)).withMessage(what).until(condition);
  }

  private static By child(String id) {
    return By.cssSelector("#cluster-tree .node[data-key='cchild:" + ClusterFixture.DS + "/" + id + "']");
  }

  /**
   * @return 9 ids whose owners over the 3 members are spread, with at least one of member 2's
   *     children going to member 0 and one to member 1 when member 2 leaves
   */
  private List<String> ids(List<String> nodes) {
    List<String> all = List.of(nodes.get(0), nodes.get(1), nodes.get(2));
    List<String> rest = List.of(nodes.get(0), nodes.get(1));
    List<String> out = new ArrayList<>();
    boolean to0 = false;
    boolean to1 = false;
    for (int i = 0; out.size() < 9 || !to0 || !to1; i++) {
      String id = "c-" + i;
      boolean fromTwo = RendezvousPlacement.INSTANCE.ownerOf(id, all).equals(nodes.get(2));
      String next = RendezvousPlacement.INSTANCE.ownerOf(id, rest);
      if (fromTwo && next.equals(nodes.get(0)) && !to0) {
        to0 = true;
        out.add(id);
      } else if (fromTwo && next.equals(nodes.get(1)) && !to1) {
        to1 = true;
        out.add(id);
      } else if (out.size() < 9 - (to0 ? 0 : 1) - (to1 ? 0 : 1)) {
        out.add(id);
      }
    }
    return out;
  }

  @Test
  void showsMembersAndOwnersAndFollowsAHandoffLive() throws Exception {
    fx = ClusterFixture.start(3, new ConsoleOptions().setCoalesceInterval(Duration.ofMillis(100)));
    List<String> nodes = List.of(fx.node(0), fx.node(1), fx.node(2));
    List<String> ids = ids(nodes);
    for (String id : ids) {
      fx.supervisors.get(0).startChild(dev.overseer.ChildSpec.verticle(id, dev.overseer.console.testing.IdleChild.class.getName()))
          .await(30, TimeUnit.SECONDS);
    }
    Map<String, String> owners = new HashMap<>();
    fx.supervisors.get(0).placements().await(30, TimeUnit.SECONDS).forEach(p -> owners.put(p.id(), p.owner()));
    driver().manage().logs().get(LogType.BROWSER);
    driver().get(fx.console.url());

    // the Cluster view is offered on a clustered member
    until("the Cluster button", d -> d.findElement(By.id("nav-cluster")).isDisplayed());
    driver().findElement(By.id("nav-cluster")).click();
    until("three members up", d -> d.findElements(By.cssSelector("#cluster-members tr[data-status='up']")).size() == 3);
    WebElement self = driver().findElement(By.cssSelector("#cluster-members tr[data-self='true']"));
    assertThat(self.getDomAttribute("data-node")).isEqualTo(fx.node(0));
    assertThat(self.getText()).contains("this member").contains("127.0.0.1:");
    // members → supervisors → children: each child under its owner, running
    for (String id : ids) {
      until(id + " under its owner", d -> owners.get(id).equals(d.findElement(child(id)).getDomAttribute("data-owner"))
          && "running".equals(d.findElement(child(id)).getDomAttribute("data-state")));
    }
    for (String node : nodes) {
      assertThat(driver().findElement(By.cssSelector("#cluster-tree .member-row[data-node='" + node + "']")).getDomProperty("textContent"))
          .contains(node.substring(0, 8));
    }
    assertThat(driver().findElement(child(ids.get(0))).getText()).contains("epoch");

    // member 2 hands its children off: the page follows without a reload
    ((JavascriptExecutor) driver()).executeScript("window.overseerTestMarker = 'same page';");
    List<String> theirs = ids.stream().filter(id -> owners.get(id).equals(fx.node(2))).toList();
    assertThat(theirs).hasSizeGreaterThanOrEqualTo(2);
    fx.members.get(2).vertx().undeploy(fx.supervisors.get(2).deploymentID()).await(60, TimeUnit.SECONDS);
    for (String id : theirs) {
      until(id + " handed off on the page", d -> {
        WebElement row = d.findElement(child(id));
        String owner = row.getDomAttribute("data-owner");
        return (fx.node(0).equals(owner) || fx.node(1).equals(owner)) && "running".equals(row.getDomAttribute("data-state"))
            && row.getText().contains("handoff from " + fx.node(2).substring(0, 8));
      });
    }
    assertThat(((JavascriptExecutor) driver()).executeScript("return window.overseerTestMarker")).isEqualTo("same page");
    // the children that came to this member are listed as moves, from member 2 to this one
    List<String> toHere = theirs.stream().filter(id -> fx.node(0).equals(driver().findElement(child(id)).getDomAttribute("data-owner")))
        .toList();
    assertThat(toHere).isNotEmpty();
    for (String id : toHere) {
      until(id + " in the moves", d -> d.findElements(By.cssSelector("#cluster-moves tr[data-child='" + id + "']")).stream()
          .anyMatch(r -> r.getText().contains("handed off") && r.getText().contains("from " + fx.node(2).substring(0, 8)
              + " to " + fx.node(0).substring(0, 8))));
    }

    // member 2 leaves the cluster: marked as left, live
    fx.members.get(2).close().await(60, TimeUnit.SECONDS);
    until("member 2 left", d -> d.findElements(By.cssSelector("#cluster-members tr[data-node='" + fx.node(2) + "'][data-status='left']"))
        .size() == 1);
    until("two members up", d -> d.findElements(By.cssSelector("#cluster-members tr[data-status='up']")).size() == 2);
    until("summary", d -> d.findElement(By.id("cluster-summary")).getText().contains("2 members up, 1 left lately"));

    // the picture for the docs
    Files.createDirectories(ConsoleBrowserTest.SCREENSHOTS);
    Files.write(ConsoleBrowserTest.SCREENSHOTS.resolve("console-cluster.png"),
        ((TakesScreenshot) driver()).getScreenshotAs(OutputType.BYTES));

    // and in the event log, with a filter by type
    driver().findElement(By.id("nav-tree")).click();
    new Select(driver().findElement(By.id("filter-type"))).selectByValue("CHILD_HANDED_OFF");
    until("handoff events in the log", d -> d.findElements(By.cssSelector("#events tr[data-type='CHILD_HANDED_OFF']")).size() >= toHere.size()
        && d.findElements(By.cssSelector("#events tr")).stream().allMatch(r -> "CHILD_HANDED_OFF".equals(r.getDomAttribute("data-type"))));
    assertThat(driver().findElement(By.cssSelector("#events tr[data-type='CHILD_HANDED_OFF']")).getText())
        .contains(ClusterFixture.DS).contains("unavailable");
    List<String> csp = driver().manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage)
        .filter(m -> m.contains("Content Security Policy")).toList();
    assertThat(csp).isEmpty();
  }

  @Test
  void rendersAThousandDistributedChildrenVirtualized() throws Exception {
    fx = ClusterFixture.start(1, new ConsoleOptions());
    for (int batch = 0; batch < 10; batch++) {
      List<io.vertx.core.Future<String>> started = new ArrayList<>();
      for (int i = batch * 100; i < (batch + 1) * 100; i++) {
        started.add(fx.supervisors.get(0).startChild(dev.overseer.ChildSpec.verticle("c-" + i,
            dev.overseer.console.testing.IdleChild.class.getName())));
      }
      io.vertx.core.Future.all(started).await(60, TimeUnit.SECONDS);
    }
    driver().get(fx.console.url());
    until("the Cluster button", d -> d.findElement(By.id("nav-cluster")).isDisplayed());
    driver().findElement(By.id("nav-cluster")).click();
    until("1,000 children counted", d -> d.findElement(By.id("cluster-count")).getText().equals("1000 children"));
    until("all running", d -> d.findElement(By.id("cluster-summary")).getText().contains("1000 running"));
    // only the rows in view (and a margin) are in the page
    int drawn = driver().findElements(By.cssSelector("#cluster-tree .node")).size();
    assertThat(drawn).isBetween(5, 120);
    // the last one is reached by scrolling, and found by search
    ((JavascriptExecutor) driver()).executeScript("const t = document.getElementById('cluster-tree'); t.scrollTop = t.scrollHeight;");
    until("the last row drawn after scrolling", d -> !d.findElements(child("c-999")).isEmpty());
    driver().findElement(By.id("cluster-search")).sendKeys("c-123");
    until("search", d -> d.findElement(By.id("cluster-count")).getText().equals("1 of 1000 match")
        && !d.findElements(child("c-123")).isEmpty());
  }

  @SuppressWarnings("unchecked")
  @Test
  void clusterRowsAndMoveTextInThePage() {
    fx = ClusterFixture.start(1, new ConsoleOptions());
    driver().get(fx.console.url());
    until("the Cluster button", d -> d.findElement(By.id("nav-cluster")).isDisplayed());
    driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    Map<String, Object> r = (Map<String, Object>) ((JavascriptExecutor) driver()).executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        Promise.all([import('./js/format.js'), import('./js/cluster-model.js')]).then(([f, c]) => {
          const cluster = {members: [{id: 'aaaaaaaa-1', self: true, status: 'up', address: '127.0.0.1:5701'},
              {id: 'bbbbbbbb-2', status: 'up'}, {id: 'cccccccc-3', status: 'left'}],
            supervisors: [{name: 'w', members: ['aaaaaaaa-1', 'bbbbbbbb-2'], total: 4, children: [
              {id: 'x', owner: 'aaaaaaaa-1', epoch: 1, status: 'running', cause: 'START'},
              {id: 'y', owner: 'bbbbbbbb-2', epoch: 3, status: 'running', cause: 'HANDOFF', from: 'cccccccc-3'},
              {id: 'z', owner: 'cccccccc-3', epoch: 2, status: 'moving', cause: 'START'},
              {id: 'q', epoch: 5, status: 'failed', cause: 'BUDGET'}]}]};
          const keys = (x) => x.rows.map((row) => row.key).join(' ');
          done({
            move: f.moveText({from: 'cccccccc-3', to: 'aaaaaaaa-1', epoch: 4, unavailableMillis: 12}),
            noMove: f.moveText(null),
            moveClass: [f.eventClass({type: 'CHILD_FAILED_OVER'}), f.eventClass({type: 'CHILD_HANDED_OFF'})],
            label: [c.memberLabel(cluster.members[0]), c.memberLabel(cluster.members[2])],
            flat: keys(c.clusterRows(cluster, new Set(), null)),
            folded: keys(c.clusterRows(cluster, new Set(['cds:bbbbbbbb-2/w']), null)),
            searched: keys(c.clusterRows(cluster, new Set(), f.parseQuery('moving'))),
            owners: c.clusterRows(cluster, new Set(), null).rows.filter((row) => row.kind === 'child').map((row) => row.owner).join(' '),
            meta: c.clusterRows(cluster, new Set(), null).rows.find((row) => row.key === 'cchild:w/y').meta.map((m) => m.text).join(', '),
            counts: c.clusterCounts(cluster),
          });
        }, (err) => done({error: String(err)}));
        """);
    assertThat(r).doesNotContainKey("error");
    assertThat(r.get("move")).isEqualTo("from cccccccc to aaaaaaaa, epoch 4, unavailable 12 ms");
    assertThat(r.get("noMove")).isEqualTo("");
    assertThat(r.get("moveClass")).isEqualTo(List.of("warn", ""));
    assertThat(r.get("label")).isEqualTo(List.of("member aaaaaaaa (this member) · 127.0.0.1:5701", "member cccccccc · left"));
    // members → supervisors → children; a left member keeps its not yet moved children; a failed one has no owner
    assertThat(r.get("flat")).isEqualTo("cmember:aaaaaaaa-1 cds:aaaaaaaa-1/w cchild:w/x cmember:bbbbbbbb-2 cds:bbbbbbbb-2/w cchild:w/y"
        + " cmember:cccccccc-3 cds:cccccccc-3/w cchild:w/z cmember: cds:/w cchild:w/q");
    assertThat(r.get("folded")).isEqualTo("cmember:aaaaaaaa-1 cds:aaaaaaaa-1/w cchild:w/x cmember:bbbbbbbb-2 cds:bbbbbbbb-2/w"
        + " cmember:cccccccc-3 cds:cccccccc-3/w cchild:w/z cmember: cds:/w cchild:w/q");
    assertThat(r.get("searched")).isEqualTo("cmember:aaaaaaaa-1 cmember:bbbbbbbb-2 cmember:cccccccc-3 cds:cccccccc-3/w cchild:w/z cmember:");
    assertThat(r.get("owners")).isEqualTo("aaaaaaaa-1 bbbbbbbb-2 cccccccc-3 ");
    assertThat(r.get("meta")).isEqualTo("epoch 3, handoff from cccccccc");
    assertThat(r.get("counts")).isEqualTo(Map.of("up", 2L, "left", 1L, "supervisors", 1L, "children", 4L, "running", 2L,
        "moving", 1L, "failed", 1L));
  }
}
