package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.support.LineClient;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.parsetools.RecordParser;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium while a real client connects, sends and is closed from the UI.
 * Needs Debian's chromium and chromium-driver; without them it is skipped, saying so.
 * Leaves a screenshot at target/dashboard.png.
 */
class DashboardBrowserTest {

  static final File CHROMIUM = new File("/usr/bin/chromium");
  static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

  private static Vertx vertx;
  private static AdminHarness node;
  private static ChromeDriver browser;
  private static WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
        "dashboard browser test skipped: install Debian's chromium and chromium-driver "
            + "(apt-get install -y chromium chromium-driver)");
    vertx = Vertx.vertx();
    // a remote service for a connector to show: answers each line with "echo:<line>"
    NetServer remote = vertx.createNetServer().connectHandler(s -> s.handler(RecordParser.newDelimited("\n",
        line -> s.write("echo:" + line + "\n")))).listen(0, "127.0.0.1").await();
    JsonObject config = TestNodes.defaultNode().put("connectors", new JsonArray().add(new JsonObject()
        .put("name", "echo-svc").put("address", "svc.echo").put("codec", "lines").put("pool", 2)
        .put("hosts", new JsonArray().add("127.0.0.1:" + remote.actualPort()))))
        // a process application (verticles/greet.py), for its pid, state and restarts in the applications table
        .put("bridge", new JsonObject().put("port", 0));
    config.getJsonArray("apps").add(new JsonObject().put("name", "greet")
        .put("process", new JsonArray().add("python3").add("verticles/greet.py")).put("address", "app.greet"));
    node = AdminHarness.start(vertx, config, "127.0.0.1", AdminHarness.TOKEN);
    Path profile = Files.createTempDirectory("strata-chromium-");
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
        "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--user-data-dir=" + profile, "--window-size=1600,1250");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
        .usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(15));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (node != null) {
      node.close();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  void liveTableTapAndCloseFromTheBrowser() throws Exception {
    browser.get(node.base() + "/");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "live"));
    assertThat(browser.findElements(By.cssSelector(".uplot"))).hasSize(3);
    By connector = By.cssSelector("#connectors tbody tr[data-name='echo-svc']");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(connector, "svc.echo"));
    // the applications of the node (the default node's echo and kv), with their verticles
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("deployments"), "dev.strata.apps.KvVerticle"));
    By greet = By.cssSelector("#deployments tbody tr[data-id='n0-greet']");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(greet, "python3 verticles/greet.py"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(greet, "running · 0 restarts"));
    assertThat(browser.findElement(greet).getText()).containsPattern("#0 pid \\d+ running");
    assertThat(browser.findElement(connector).getText()).contains("up").contains("2 / 2");

    try (LineClient c = new LineClient(node.port("echo"));
         LineClient other = new LineClient(node.port("kv-lines"))) {
      other.request("SET greeting hello");
      assertThat(c.request("hello")).isEqualTo("hello");
      String remote = ":" + c.socket().getLocalPort();
      By row = By.xpath("//table[@id='connections']/tbody/tr[td[3][contains(., '" + remote + "')]]");
      // the table is redrawn on every server push: look the row up again if it was replaced meanwhile
      String id = wait.ignoring(StaleElementReferenceException.class)
          .until(d -> d.findElement(row).isDisplayed() ? d.findElement(row).getAttribute("data-id") : null);

      for (int i = 0; i < 5; i++) {
        c.request("frame " + i);
      }
      By framesIn = By.cssSelector("#connections tbody tr[data-id='" + id + "'] td:nth-child(7)");
      wait.until(ExpectedConditions.textToBe(framesIn, "6"));

      wait.ignoring(StaleElementReferenceException.class).until(d -> {
        d.findElement(row).click();
        return true;
      });
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("d-id"), "#" + id));
      browser.findElement(By.id("token")).sendKeys(AdminHarness.TOKEN);
      browser.findElement(By.id("tap-start")).click();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tap-stop")));
      String hostile = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">";
      c.request(hostile);
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tap-frames"), hostile));
      assertThat(browser.findElements(By.cssSelector("#tap-frames script, #tap-frames img"))).isEmpty();
      assertThat(browser.executeScript("return window.__pwned === undefined")).isEqualTo(true);
      for (int i = 0; i < 3; i++) {
        c.request("GET key:" + i);
      }
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tap-frames"), "GET key:2"));
      screenshot();

      browser.findElement(By.id("close-reason")).sendKeys("closed from the browser test");
      browser.findElement(By.id("close-btn")).click();
      By closedRow = By.cssSelector("#closed tbody tr[data-id='" + id + "']");
      wait.until(ExpectedConditions.textToBePresentInElementLocated(closedRow,
          "closed by admin: closed from the browser test"));
      wait.until(ExpectedConditions.invisibilityOfElementLocated(
          By.cssSelector("#connections tbody tr[data-id='" + id + "']")));
      assertThat(c.closedByServer()).isTrue();
    }
  }

  private static void screenshot() throws Exception {
    browser.executeScript("window.scrollTo(0, 0)");
    File shot = browser.getScreenshotAs(OutputType.FILE);
    Path target = Path.of("target", "dashboard.png");
    Files.createDirectories(target.getParent());
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
  }
}
