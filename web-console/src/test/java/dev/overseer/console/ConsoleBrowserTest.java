package dev.overseer.console;

import dev.overseer.ChildSpec;
import dev.overseer.ChildStatus;
import dev.overseer.DynamicSupervisor;
import dev.overseer.DynamicSupervisorOptions;
import dev.overseer.Overseer;
import dev.overseer.console.testing.CrashableChild;
import dev.overseer.console.testing.IdleChild;
import dev.overseer.stash.LocalStash;
import dev.overseer.stash.Stash;
import dev.overseer.server.ServerRef;
import dev.overseer.console.testing.CounterServer;
import dev.overseer.console.testing.Fixture;
import dev.overseer.console.testing.Poll;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}),
 * driven through chromedriver with Selenium; nothing is downloaded. A missing browser fails the
 * test with the command that installs it: CI installs it, so a skip would hide a broken setup.
 */
@ExtendWith(VertxExtension.class)
class ConsoleBrowserTest {

  static final Path CHROMIUM = Path.of(System.getProperty("overseer.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("overseer.chromedriver", "/usr/bin/chromedriver"));
  static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "screenshots");

  Fixture fx;
  static ChromeDriverService service;
  static WebDriver driver;
  static WebDriverWait wait;

  static void requireChromium() {
    for (Path binary : new Path[] {CHROMIUM, CHROMEDRIVER}) {
      if (!Files.isExecutable(binary)) {
        throw new AssertionError("The browser test needs Debian's Chromium and its driver, and " + binary
            + " is missing. Install them with: apt-get update && apt-get install -y chromium chromium-driver"
            + " (or point -Doverseer.chromium and -Doverseer.chromedriver at them).");
      }
    }
  }

  /** One browser for the whole class: starting Chromium costs more than most tests. */
  @BeforeAll
  static void openBrowser(@TempDir Path profile) {
    requireChromium();
    // never let Selenium Manager look for (or download) a driver or a browser
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1440,1000", "--lang=en-US");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(15));
    wait.ignoring(StaleElementReferenceException.class);
  }

  @AfterAll
  static void closeBrowser() {
    if (driver != null) {
      driver.quit();
    }
    if (service != null) {
      service.stop();
    }
  }

  @BeforeEach
  void freshWindow() {
    driver.manage().window().setSize(new Dimension(1440, 1000));
    // each test's console has its own port, so its own origin and sessionStorage; drop the log of the last page
    driver.manage().logs().get(LogType.BROWSER);
  }

  static By row(String key) {
    return By.cssSelector(".node[data-key='" + key + "']");
  }

  /** Waits for a condition on the page; the tree is re-rendered as updates arrive, so elements are looked up afresh. */
  <T> T until(String what, Function<WebDriver, T> condition) {
    return wait.withMessage(what).until(condition);
  }

  String rowAttribute(String key, String selector, String attribute) {
    return driver.findElement(row(key)).findElement(By.cssSelector(selector)).getDomAttribute(attribute);
  }

  void select(String key) {
    until("click " + key, d -> {
      d.findElement(row(key)).findElement(By.cssSelector(".node-name")).click();
      return true;
    });
    until(key + " selected", d -> d.findElement(row(key)).getDomAttribute("class").contains("selected"));
  }

  /** Clicks an action button in the detail panel, checks the confirm dialog and answers it. */
  void act(String action, boolean confirm) {
    until(action + " enabled", d -> {
      WebElement button = d.findElement(By.cssSelector("#detail [data-action='" + action + "']"));
      if (!button.isEnabled()) {
        return false;
      }
      button.click();
      return true;
    });
    until("confirm dialog", d -> d.findElement(By.id("confirm")).isDisplayed());
    assertThat(driver.findElement(By.id("confirm-text")).getText()).contains("\"");
    driver.findElement(By.id(confirm ? "confirm-ok" : "confirm-cancel")).click();
    until("dialog closed", d -> !d.findElement(By.id("confirm")).isDisplayed());
  }

  void awaitToast(String text) {
    until("toast " + text, d -> d.findElements(By.cssSelector(".toast.success")).stream()
        .anyMatch(t -> t.getText().contains(text)));
  }

  @Test
  void showsTheLiveTreeAndDrivesActions(Vertx vertx) throws IOException {
    fx = Fixture.start(vertx, new ConsoleOptions().setCoalesceInterval(Duration.ofMillis(100)));
    driver.get(fx.console.url());
    until("the tree", d -> d.findElement(row("child:app/db")).isDisplayed());
    until("the nested supervisor's children", d -> d.findElement(row("child:jobs/mailer")).isDisplayed());
    until("the dynamic supervisor", d -> d.findElement(row("sup:sessions")).isDisplayed());
    until("no restarts yet", d -> "0".equals(rowAttribute("child:app/db", ".restarts", "data-restarts")));
    // the page keeps the token out of the address bar once read
    assertThat(driver.getCurrentUrl()).doesNotContain("token");
    until("live", d -> "live".equals(d.findElement(By.id("conn")).getDomAttribute("data-state")));

    // a crash arrives through the live channel: the count changes without a reload
    ((JavascriptExecutor) driver).executeScript("window.overseerTestMarker = 'same page';");
    fx.crash("app", "db");
    fx.crash("jobs", "mailer");
    until("db restarted on the page", d -> "1".equals(rowAttribute("child:app/db", ".restarts", "data-restarts")));
    until("mailer restarted on the page", d -> "1".equals(rowAttribute("child:jobs/mailer", ".restarts", "data-restarts")));
    assertThat(((JavascriptExecutor) driver).executeScript("return window.overseerTestMarker")).isEqualTo("same page");

    // a restart storm: the page keeps up and ends on the right count, still the same page
    for (int i = 2; i <= 21; i++) {
      fx.crash("app", "db");
      int expected = i;
      Poll.until("db restart " + i, Duration.ofSeconds(10), () -> fx.child("app", "db").restartCount() == expected);
    }
    until("the storm's end on the page", d -> "21".equals(rowAttribute("child:app/db", ".restarts", "data-restarts")));
    assertThat(((JavascriptExecutor) driver).executeScript("return window.overseerTestMarker")).isEqualTo("same page");

    // the crashed child's details show the crash report
    select("child:app/db");
    until("last crash", d -> d.findElement(By.id("last-crash")).getText().contains("crash requested for db"));
    until("restart count in the details", d -> d.findElement(By.id("detail")).getText().contains("21"));
    until("its stack trace", d -> d.findElement(By.id("last-crash")).getText().contains("IllegalStateException"));

    // terminate through the UI; a cancelled dialog changes nothing
    select("child:app/cache");
    act("terminate", false);
    assertThat(fx.child("app", "cache").status()).isEqualTo(ChildStatus.RUNNING);
    act("terminate", true);
    awaitToast("Terminate app/cache");
    until("cache stopped on the page", d -> "stopped".equals(d.findElement(row("child:app/cache")).getDomAttribute("data-state")));
    assertThat(fx.child("app", "cache").status()).isEqualTo(ChildStatus.STOPPED);

    // and restart it
    act("restart", true);
    awaitToast("Restart app/cache");
    until("cache running on the page", d -> "running".equals(d.findElement(row("child:app/cache")).getDomAttribute("data-state")));
    assertThat(fx.child("app", "cache").status()).isEqualTo(ChildStatus.RUNNING);

    // start a child from the registered template
    select("sup:sessions");
    act("start", true);
    awaitToast("session-1");
    until("session-1 in the tree", d -> d.findElement(row("child:sessions/session-1")).isDisplayed());
    assertThat(fx.childIds("sessions")).containsExactly("session-1");

    select("child:app/db");
    until("restart offered only for a stopped child",
        d -> !d.findElement(By.cssSelector("#detail [data-action='restart']")).isEnabled());

    // a server: its state as formatStatus renders it, its stash entry, and its crash report
    assertThat(ServerRef.of(fx.vertx, CounterServer.NAME).call("inc", Duration.ofSeconds(5)).await()).isEqualTo(1);
    assertThat(ServerRef.of(fx.vertx, CounterServer.NAME).call("inc", Duration.ofSeconds(5)).await()).isEqualTo(2);
    fx.vertx.eventBus().send(CounterServer.NAME, "crash");
    until("counter restarted on the page", d -> "1".equals(rowAttribute("child:app/counter", ".restarts", "data-restarts")));
    select("child:app/counter");
    until("server state", d -> d.findElement(By.id("server-state")).getText().contains("\"count\": 2"));
    until("server stash entry", d -> d.findElement(By.id("server")).getText().contains("Schema version"));
    until("server crash report", d -> d.findElement(By.id("last-crash")).getText().contains("counter asked to crash at 2"));

    // the picture for the docs: the crashed server selected, its status and crash report open
    until("last crash shown", d -> d.findElement(By.id("last-crash")).isDisplayed());
    // toasts fade by themselves after a few seconds; clear them at once for a clean picture
    ((JavascriptExecutor) driver).executeScript("document.querySelectorAll('.toast').forEach(t => t.remove())");
    Files.createDirectories(SCREENSHOTS);
    Path shot = SCREENSHOTS.resolve("console.png");
    Files.write(shot, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    assertThat(Files.size(shot)).isGreaterThan(10_000);
  }

  @Test
  void asksForTheTokenWhenTheUrlHasNone(Vertx vertx) {
    fx = Fixture.start(vertx, new ConsoleOptions());
    driver.get("http://127.0.0.1:" + fx.console.port() + "/");
    until("the token dialog", d -> d.findElement(By.id("login")).isDisplayed());
    assertThat(driver.findElements(row("child:app/db"))).isEmpty();
    driver.findElement(By.id("login-token")).sendKeys(Fixture.TOKEN);
    driver.findElement(By.cssSelector("#login-form button[type=submit]")).click();
    until("the tree", d -> d.findElement(row("child:app/db")).isDisplayed());
    until("live", d -> "live".equals(d.findElement(By.id("conn")).getDomAttribute("data-state")));
  }

  @Test
  void offersNoActionsWhenReadOnly(Vertx vertx) {
    fx = Fixture.start(vertx, new ConsoleOptions().setReadOnly(true));
    driver.get(fx.console.url());
    until("the tree", d -> d.findElement(row("child:app/db")).isDisplayed());
    until("the read-only badge", d -> d.findElement(By.id("readonly")).isDisplayed());
    select("child:app/db");
    until("details", d -> d.findElement(By.id("detail")).getText().contains("child of"));
    assertThat(driver.findElements(By.cssSelector("#detail [data-action]"))).isEmpty();
    select("sup:sessions");
    until("supervisor details", d -> d.findElement(By.id("detail")).getText().contains("Strategy"));
    assertThat(driver.findElements(By.cssSelector("#detail [data-action]"))).isEmpty();
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** @return the browser's console messages about the Content Security Policy since the last call */
  List<String> cspViolations() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage)
        .filter(m -> m.contains("Content Security Policy")).toList();
  }

  @Test
  void staysReadableAt760PixelsAndOnAPhone(Vertx vertx) throws IOException {
    fx = Fixture.start(vertx, new ConsoleOptions());
    String longId = "session-for-the-customer-portal-eu-west-0001";
    fx.sessions.startChild(ChildSpec.worker(longId, CrashableChild::new)).await();
    driver.manage().window().setSize(new Dimension(760, 1000));
    driver.get(fx.console.url());
    until("the tree", d -> d.findElement(row("child:sessions/" + longId)).isDisplayed());
    select("child:jobs/indexer");
    until("details", d -> d.findElement(By.id("detail")).getText().contains("child of"));

    Files.createDirectories(SCREENSHOTS);
    Path shot = SCREENSHOTS.resolve("console-760.png");
    Files.write(shot, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    assertThat(Files.size(shot)).isGreaterThan(10_000);
    // every name in the tree is whole: shown in full text and not cut by an ellipsis
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> names = (List<Map<String, Object>>) js(
        "return [...document.querySelectorAll('#tree .node-name')].map(n => ({text: n.textContent, cut: n.scrollWidth > n.clientWidth}))");
    assertThat(names).extracting(n -> n.get("text"))
        .contains("app", "db", "cache", "counter", "jobs", "mailer", "indexer", "sessions", longId);
    assertThat(names).allSatisfy(n -> assertThat(n.get("cut")).as("name %s cut", n.get("text")).isEqualTo(false));
    // no sideways scrolling of the page, and the details and events fit too
    assertThat((Boolean) js("return document.documentElement.scrollWidth <= window.innerWidth")).isTrue();
    assertThat((Boolean) js("const d = document.querySelector('.detail-panel'); return d.scrollWidth <= d.clientWidth")).isTrue();
    assertThat(driver.findElement(By.id("filter-type")).isDisplayed()).isTrue();

    // a phone: still no sideways scrolling, the names still there
    driver.manage().window().setSize(new Dimension(390, 844));
    until("relaid out", d -> (Boolean) js("return window.innerWidth <= 400"));
    assertThat((Boolean) js("return document.documentElement.scrollWidth <= window.innerWidth")).isTrue();
    assertThat(driver.findElement(row("child:app/db")).findElement(By.cssSelector(".node-name")).getText()).isEqualTo("db");
    Files.write(SCREENSHOTS.resolve("console-phone.png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    assertThat(cspViolations()).isEmpty();
  }

  @Test
  void chartsRestartsAndCrashesOverTime(Vertx vertx) {
    fx = Fixture.start(vertx, new ConsoleOptions().setCoalesceInterval(Duration.ofMillis(100)));
    driver.get(fx.console.url());
    until("the tree", d -> d.findElement(row("child:app/db")).isDisplayed());
    select("child:app/db");
    By chart = By.cssSelector("#history svg.chart");
    until("an empty chart", d -> "0".equals(d.findElement(chart).getDomAttribute("data-crashes")));
    assertThat(driver.findElements(By.cssSelector("#history .chart-crashes"))).isEmpty();

    fx.crash("app", "db");
    until("the crash on the chart", d -> "1".equals(d.findElement(chart).getDomAttribute("data-crashes")));
    until("the restart on the chart", d -> "1".equals(d.findElement(chart).getDomAttribute("data-restarts")));
    assertThat(driver.findElements(By.cssSelector("#history .chart-crashes"))).hasSize(1);
    assertThat(driver.findElement(By.id("history")).getText()).contains("1 crash", "1 restart");

    // the supervisor's chart sums its children and draws its intensity used
    fx.crash("app", "cache");
    select("sup:app");
    until("the supervisor's chart", d -> "2".equals(d.findElement(chart).getDomAttribute("data-crashes")));
    assertThat(driver.findElements(By.cssSelector("#history polyline.chart-intensity"))).hasSize(1);
    // a point rises above the baseline (y 60): the console notes the intensity used at each
    // restart, so the bucket of a restart the chart counts has it. (The last point alone is not
    // enough: with the fixture's 5 s period and 10 s buckets, a bucket that begins after the
    // restarts have aged out stays at the baseline, and the chart is redrawn every 10 s.)
    until("the intensity used on the chart", d -> {
      String points = d.findElement(By.cssSelector("#history polyline.chart-intensity")).getDomAttribute("points").trim();
      return java.util.Arrays.stream(points.split(" ")).anyMatch(p -> Double.parseDouble(p.split(",")[1]) < 60.0);
    });
    assertThat(cspViolations()).isEmpty();
  }

  @Test
  void findsAChildAmongFiveThousand(Vertx vertx) {
    fx = Fixture.start(vertx, new ConsoleOptions());
    DynamicSupervisor crowd = DynamicSupervisor.start(vertx, new DynamicSupervisorOptions().setName("crowd")).await();
    List<Future<String>> starts = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      starts.add(crowd.startChild(ChildSpec.worker("worker-" + i, IdleChild::new)));
    }
    Future.all(starts).await();
    driver.get(fx.console.url());
    until("the crowd", d -> d.findElement(row("child:crowd/worker-0")).isDisplayed());
    until("every node counted", d -> d.findElement(By.id("tree-count")).getText().startsWith("50"));
    // virtualized: a few dozen rows exist, not 5,000 and not a cut at 200
    long rows = (Long) js("return document.querySelectorAll('#tree .node').length");
    assertThat(rows).isBetween(10L, 120L);
    js("const t = document.getElementById('tree'); t.scrollTop = t.scrollHeight;");
    until("the last child after scrolling", d -> d.findElement(row("child:crowd/worker-4999")).isDisplayed());

    WebElement search = driver.findElement(By.id("tree-search"));
    search.sendKeys("worker-4321");
    until("the match", d -> d.findElement(row("child:crowd/worker-4321")).isDisplayed());
    until("one match", d -> d.findElement(By.id("tree-count")).getText().startsWith("1 of 50"));
    assertThat(driver.findElement(row("child:crowd/worker-4321")).getDomAttribute("aria-setsize")).isEqualTo("1");
    assertThat(driver.findElements(By.cssSelector("#tree .node[data-kind='child']"))).hasSize(1);
    // the supervisor above the match stays, so the operator sees where it is
    assertThat(driver.findElement(row("sup:crowd")).isDisplayed()).isTrue();
    select("child:crowd/worker-4321");
    until("its details", d -> d.findElement(By.id("detail")).getText().contains("worker-4321"));

    // by state: only the stopped child of app
    fx.app.terminateChild("cache").await();
    search.clear();
    search.sendKeys("status:stopped");
    until("the stopped child", d -> d.findElement(row("child:app/cache")).isDisplayed()
        && d.findElements(By.cssSelector("#tree .node[data-kind='child']")).size() == 1);
    search.clear();
    search.sendKeys("nothing-is-called-this");
    until("no match said", d -> d.findElement(By.id("tree")).getText().contains("Nothing matches"));
  }

  @Test
  void movesThroughTheTreeWithTheKeyboard(Vertx vertx) {
    fx = Fixture.start(vertx, new ConsoleOptions());
    driver.get(fx.console.url());
    until("the tree", d -> d.findElement(row("child:jobs/mailer")).isDisplayed());
    WebElement app = driver.findElement(row("sup:app"));
    assertThat(app.getDomAttribute("role")).isEqualTo("treeitem");
    assertThat(app.getDomAttribute("aria-expanded")).isEqualTo("true");
    assertThat(app.getDomAttribute("tabindex")).isEqualTo("0");
    assertThat(driver.findElement(row("child:app/db")).getDomAttribute("tabindex")).isEqualTo("-1");
    assertThat(driver.findElement(row("child:jobs/mailer")).getDomAttribute("aria-level")).isEqualTo("3");
    assertThat(driver.findElement(row("child:app/jobs")).getDomAttribute("aria-posinset")).isEqualTo("4");
    assertThat(driver.findElement(row("child:app/jobs")).getDomAttribute("aria-setsize")).isEqualTo("4");

    app.sendKeys(Keys.ARROW_DOWN);
    until("db focused", d -> "child:app/db".equals(d.switchTo().activeElement().getDomAttribute("data-key")));
    driver.switchTo().activeElement().sendKeys(Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ARROW_DOWN);
    until("jobs focused", d -> "child:app/jobs".equals(d.switchTo().activeElement().getDomAttribute("data-key")));
    driver.switchTo().activeElement().sendKeys(Keys.ARROW_LEFT);
    until("jobs folded", d -> "false".equals(d.findElement(row("child:app/jobs")).getDomAttribute("aria-expanded")));
    assertThat(driver.findElements(row("child:jobs/mailer"))).isEmpty();
    driver.switchTo().activeElement().sendKeys(Keys.ARROW_RIGHT);
    until("jobs unfolded", d -> d.findElement(row("child:jobs/mailer")).isDisplayed());
    driver.switchTo().activeElement().sendKeys(Keys.ARROW_RIGHT);
    until("mailer focused", d -> "child:jobs/mailer".equals(d.switchTo().activeElement().getDomAttribute("data-key")));
    driver.switchTo().activeElement().sendKeys(Keys.ENTER);
    until("mailer selected", d -> "true".equals(d.findElement(row("child:jobs/mailer")).getDomAttribute("aria-selected")));
    until("its details", d -> d.findElement(By.id("detail")).getText().contains("child of jobs"));
    driver.switchTo().activeElement().sendKeys(Keys.ARROW_LEFT);
    until("back to its parent", d -> "child:app/jobs".equals(d.switchTo().activeElement().getDomAttribute("data-key")));
    driver.switchTo().activeElement().sendKeys(Keys.HOME);
    until("first row", d -> "sup:app".equals(d.switchTo().activeElement().getDomAttribute("data-key")));
  }

  @Test
  void filtersTheEventLog(Vertx vertx) {
    fx = Fixture.start(vertx, new ConsoleOptions().setCoalesceInterval(Duration.ofMillis(100)));
    driver.get(fx.console.url());
    until("live", d -> "live".equals(d.findElement(By.id("conn")).getDomAttribute("data-state")));
    fx.crash("app", "db");
    fx.crash("jobs", "indexer");
    until("both restarts in the log", d -> d.findElements(By.cssSelector("#events tr[data-type='CHILD_RESTARTED']")).size() >= 2);

    new Select(driver.findElement(By.id("filter-type"))).selectByValue("CHILD_RESTARTED");
    until("restarts only", d -> d.findElements(By.cssSelector("#events tr")).stream()
        .allMatch(r -> "CHILD_RESTARTED".equals(r.getDomAttribute("data-type"))));
    assertThat(driver.findElements(By.cssSelector("#events tr"))).hasSize(2);

    until("jobs offered", d -> new Select(d.findElement(By.id("filter-sup"))).getOptions().stream().anyMatch(o -> o.getText().equals("jobs")));
    new Select(driver.findElement(By.id("filter-sup"))).selectByValue("jobs");
    until("jobs' restart only", d -> d.findElements(By.cssSelector("#events tr")).size() == 1);
    assertThat(driver.findElement(By.id("events")).getText()).contains("indexer").doesNotContain("db");
    assertThat(driver.findElement(By.id("events-note")).getText()).startsWith("1 of ");

    new Select(driver.findElement(By.id("filter-sup"))).selectByValue("");
    new Select(driver.findElement(By.id("filter-type"))).selectByValue("");
    driver.findElement(By.id("filter-child")).sendKeys("db");
    until("db's events only", d -> {
      List<WebElement> rows = d.findElements(By.cssSelector("#events tr"));
      return rows.size() >= 2 && rows.stream().allMatch(r -> r.getText().contains("/ db"));
    });
  }

  @Test
  void showsStashEntriesAndWhyOneWasQuarantined(Vertx vertx) throws IOException {
    fx = Fixture.start(vertx, new ConsoleOptions());
    Stash stash = Overseer.defaultStash(vertx);
    long epoch = stash.claim("orders").await();
    stash.put("orders", "{\"card\":\"4111-secret\"}", 1, epoch).await();
    stash.quarantine("orders", "schema 1 does not migrate to 3: field 'total' missing").await();
    stash.put("carts", "{\"items\":[\"hidden-value\"]}", 2, stash.claim("carts").await()).await();
    LocalStash archive = new LocalStash();
    archive.put("old-orders", "{}", 4, archive.claim("old-orders").await()).await();
    fx.console.showStash("archive", archive);

    driver.get(fx.console.url());
    until("the tree", d -> d.findElement(row("child:app/db")).isDisplayed());
    driver.findElement(By.id("nav-stash")).click();
    By quarantined = By.cssSelector("[data-stash='default'] .quarantine tr[data-key='orders']");
    until("the quarantined entry", d -> d.findElement(quarantined).isDisplayed());
    assertThat(driver.findElement(quarantined).getText()).contains("schema 1 does not migrate to 3: field 'total' missing");
    WebElement carts = driver.findElement(By.cssSelector("[data-stash='default'] tr[data-key='carts']"));
    assertThat(carts.findElements(By.tagName("td"))).extracting(WebElement::getText).startsWith("carts", "2", "1", "1");
    until("the other stash", d -> d.findElement(By.cssSelector("[data-stash='archive'] tr[data-key='old-orders']")).isDisplayed());
    assertThat(driver.findElement(By.id("view-tree")).isDisplayed()).isFalse();
    // values never reach the page
    assertThat(driver.getPageSource()).doesNotContain("4111-secret").doesNotContain("hidden-value");

    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve("console-stash.png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    driver.findElement(By.id("nav-tree")).click();
    until("the tree again", d -> d.findElement(row("child:app/db")).isDisplayed());
    assertThat(cspViolations()).isEmpty();
  }

  @Test
  void worksMountedUnderAPrefixInTheApplicationsRouter(Vertx vertx) {
    fx = Fixture.start(vertx, new ConsoleOptions());
    Router router = Router.router(vertx);
    router.route("/ops/console/*").subRouter(fx.console.router(null));
    int port = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
        .setWebSocketSubProtocols(List.of("overseer.v1"))).requestHandler(router).listen().await().actualPort();
    driver.get("http://127.0.0.1:" + port + "/ops/console/#token=" + Fixture.TOKEN);
    until("the tree", d -> d.findElement(row("child:app/db")).isDisplayed());
    until("live", d -> "live".equals(d.findElement(By.id("conn")).getDomAttribute("data-state")));
    fx.crash("app", "db");
    until("the crash pushed live", d -> "1".equals(rowAttribute("child:app/db", ".restarts", "data-restarts")));
    select("child:app/db");
    until("the chart", d -> "1".equals(d.findElement(By.cssSelector("#history svg.chart")).getDomAttribute("data-crashes")));
    driver.findElement(By.id("nav-stash")).click();
    until("the stash page", d -> d.findElement(By.cssSelector("[data-stash='default']")).isDisplayed());
  }

  /** The pure functions of the page, imported as the page imports them and run in the browser. */
  @Test
  @SuppressWarnings("unchecked")
  void formatsAndFiltersInThePage(Vertx vertx) {
    fx = Fixture.start(vertx, new ConsoleOptions());
    driver.get(fx.console.url());
    until("the tree", d -> d.findElement(row("child:app/db")).isDisplayed());
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    Map<String, Object> r = (Map<String, Object>) ((JavascriptExecutor) driver).executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        Promise.all([import('/js/format.js'), import('/js/tree-model.js'), import('/js/dom.js')]).then(([f, t, dom]) => {
          const failure = {kind: 'FAILURE', error: 'java.lang.IllegalStateException', message: 'boom'};
          const tree = {members: [{id: 'm', name: 'node', supervisors: [{name: 'app', status: 'running', children: [
            {id: 'db', state: 'running'},
            {id: 'jobs', state: 'running', supervisor: {name: 'jobs', status: 'running', children: [{id: 'mailer', state: 'failed'}]}}]}]}]};
          const keys = (x) => x.rows.map((row) => row.key).join(' ');
          done({
            plural: [f.plural(1, 'crash', 'crashes'), f.plural(0, 'crash', 'crashes')],
            ago: [f.ago(500), f.ago(1500), f.ago(180000), f.ago(7200000), f.ago(null)],
            duration: [f.durationText(5000), f.durationText(250), f.durationText(60000)],
            shutdown: [f.shutdownText('BRUTAL_KILL'), f.shutdownText(5000), f.shutdownText('INFINITY')],
            reason: [f.reasonText(failure), f.reasonText({kind: 'NORMAL'}), f.reasonText({kind: 'FAILURE', crashReport: {reason: {kind: 'FAILURE', error: 'E', message: 'inner'}}}), f.reasonText(null)],
            eventClass: [f.eventClass({type: 'CHILD_EXITED', reason: failure}), f.eventClass({type: 'CHILD_EXITED', reason: {kind: 'NORMAL'}}),
              f.eventClass({type: 'CHILD_RESTARTED'}), f.eventClass({type: 'CHILD_STARTED'}), f.eventClass({type: 'SUPERVISOR_STOPPED', reason: {kind: 'SHUTDOWN'}})],
            backoff: [f.backoffText({}), f.backoffText({min: 100, max: 60000, jitter: 0.2, resetAfter: 30000})],
            time: f.time('2026-11-21T05:31:58.953Z'),
            meter: [f.meterLevel(0, 5), f.meterLevel(3, 5), f.meterLevel(6, 5), f.meterLevel(1, 0)],
            query: f.parseQuery('  Worker-42 status:failed restarting '),
            emptyQuery: f.parseQuery('   '),
            matches: [f.matches(f.parseQuery('worker-4'), 'worker-42', 'running'), f.matches(f.parseQuery('worker-4 failed'), 'worker-42', 'running'),
              f.matches(f.parseQuery('WORKER'), 'worker-42', 'running'), f.matches(null, 'x', 'y')],
            eventMatches: [f.eventMatches({type: 'CHILD_EXITED', supervisor: 'app', childId: 'db'}, {type: '', supervisor: 'app', child: 'D'}),
              f.eventMatches({type: 'CHILD_EXITED', supervisor: 'app', childId: 'db'}, {type: 'CHILD_RESTARTED', supervisor: '', child: ''}),
              f.eventMatches({type: 'SUPERVISOR_STARTED', supervisor: 'app'}, {type: '', supervisor: '', child: 'db'})],
            chart: f.chartLayout([{restarts: 0, crashes: 0, intensity: 0}, {restarts: 4, crashes: 2, intensity: 5}], 100, 40, 10),
            flat: keys(t.flatten(tree, new Set(), null)),
            folded: keys(t.flatten(tree, new Set(['jobs']), null)),
            searched: keys(t.flatten(tree, new Set(['app']), f.parseQuery('failed'))),
            counts: [t.flatten(tree, new Set(), f.parseQuery('failed')).matched, t.flatten(tree, new Set(), null).total],
            escaped: dom.h('b', {title: '"x"'}, '<i>x</i>').outerHTML,
          });
        }, (err) => done({error: String(err)}));
        """);
    assertThat(r).doesNotContainKey("error");
    assertThat(r.get("plural")).isEqualTo(List.of("1 crash", "0 crashes"));
    assertThat(r.get("ago")).isEqualTo(List.of("500 ms", "1.5 s", "3 min", "2 h", ""));
    assertThat(r.get("duration")).isEqualTo(List.of("5 s", "250 ms", "1 min"));
    assertThat(r.get("shutdown")).isEqualTo(List.of("brutal kill", "timeout 5 s", "infinity"));
    assertThat(r.get("reason")).isEqualTo(List.of("java.lang.IllegalStateException: boom", "normal", "E: inner", ""));
    assertThat(r.get("eventClass")).isEqualTo(List.of("bad", "", "warn", "good", ""));
    assertThat(r.get("backoff")).isEqualTo(List.of("none", "100 ms → 1 min, jitter 0.2, reset after 30 s"));
    assertThat((String) r.get("time")).matches("\\d\\d:\\d\\d:58\\.953");
    assertThat(r.get("meter")).isEqualTo(List.of(Map.of("ratio", 0L, "level", ""), Map.of("ratio", 0.6, "level", "warn"),
        Map.of("ratio", 1L, "level", "bad"), Map.of("ratio", 1L, "level", "bad")));
    assertThat(r.get("query")).isEqualTo(Map.of("text", List.of("worker-42"), "states", List.of("failed", "restarting")));
    assertThat(r.get("emptyQuery")).isNull();
    assertThat(r.get("matches")).isEqualTo(List.of(true, false, true, true));
    assertThat(r.get("eventMatches")).isEqualTo(List.of(true, false, false));
    Map<String, Object> chart = (Map<String, Object>) r.get("chart");
    assertThat(chart.get("max")).isEqualTo(4L);
    assertThat(chart.get("totals")).isEqualTo(Map.of("restarts", 4L, "crashes", 2L));
    assertThat(chart.get("bars")).isEqualTo(List.of(
        Map.of("x", 0L, "restarts", 0L, "crashes", 0L, "hr", 0L, "hc", 0L),
        Map.of("x", 50L, "restarts", 4L, "crashes", 2L, "hr", 40L, "hc", 20L)));
    // intensity 5 of a limit of 10 is half-way up
    assertThat(chart.get("line")).isEqualTo(List.of(List.of(25L, 40L), List.of(75L, 20L)));
    assertThat(r.get("flat")).isEqualTo("member:m sup:app child:app/db child:app/jobs child:jobs/mailer");
    assertThat(r.get("folded")).isEqualTo("member:m sup:app child:app/db child:app/jobs");
    // a search unfolds what it found, even under a folded supervisor
    assertThat(r.get("searched")).isEqualTo("member:m sup:app child:app/jobs child:jobs/mailer");
    assertThat(r.get("counts")).isEqualTo(List.of(1L, 4L));
    assertThat(r.get("escaped")).isEqualTo("<b title=\"&quot;x&quot;\">&lt;i&gt;x&lt;/i&gt;</b>");
  }

  /** The page builds DOM nodes and sets no inline style: the CSP needs no 'unsafe-inline'. */
  @Test
  void pageSourcesBuildNodesWithoutHtmlStringsOrInlineStyles() throws IOException {
    String root = "dev/overseer/console/webroot/";
    List<String> files = List.of("index.html", "js/main.js", "js/dom.js", "js/format.js", "js/api.js", "js/live.js",
        "js/tree-model.js", "js/tree-view.js", "js/detail.js", "js/chart.js", "js/events.js", "js/stash.js",
        "js/cluster-model.js", "js/cluster-view.js");
    for (String file : files) {
      try (var in = getClass().getClassLoader().getResourceAsStream(root + file)) {
        assertThat(in).as(file).isNotNull();
        String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).as(file).doesNotContain("innerHTML", "insertAdjacentHTML", "outerHTML =", "document.write", "style=\"", "eval(");
      }
    }
  }
}
