package dev.overseer.console;

import dev.overseer.ChildStatus;
import dev.overseer.server.ServerRef;
import dev.overseer.console.testing.CounterServer;
import dev.overseer.console.testing.Fixture;
import dev.overseer.console.testing.Poll;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

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
  ChromeDriverService service;
  WebDriver driver;
  WebDriverWait wait;

  static void requireChromium() {
    for (Path binary : new Path[] {CHROMIUM, CHROMEDRIVER}) {
      if (!Files.isExecutable(binary)) {
        throw new AssertionError("The browser test needs Debian's Chromium and its driver, and " + binary
            + " is missing. Install them with: apt-get update && apt-get install -y chromium chromium-driver"
            + " (or point -Doverseer.chromium and -Doverseer.chromedriver at them).");
      }
    }
  }

  @BeforeEach
  void open(Vertx vertx, @TempDir Path profile) {
    requireChromium();
    // never let Selenium Manager look for (or download) a driver or a browser
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1440,1000", "--lang=en-US");
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(15));
    wait.ignoring(StaleElementReferenceException.class);
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.quit();
    }
    if (service != null) {
      service.stop();
    }
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
}
