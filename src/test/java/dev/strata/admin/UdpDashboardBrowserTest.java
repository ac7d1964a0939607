package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.support.TestNodes;
import dev.strata.support.UdpClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard's UDP senders table in headless Chromium, while a real UDP client sends. */
class UdpDashboardBrowserTest {

  private static Vertx vertx;
  private static AdminHarness node;
  private static ChromeDriver browser;
  private static WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(DashboardBrowserTest.CHROMIUM.canExecute() && DashboardBrowserTest.CHROMEDRIVER.canExecute(),
        "dashboard browser test skipped: install Debian's chromium and chromium-driver");
    vertx = Vertx.vertx();
    JsonObject config = TestNodes.defaultNode();
    config.getJsonArray("listeners").add(TestNodes.listener("echo-udp", "lines", "app.echo").put("transport", "udp"));
    node = AdminHarness.start(vertx, config, "127.0.0.1", AdminHarness.TOKEN);
    Path profile = Files.createTempDirectory("strata-chromium-");
    ChromeOptions options = new ChromeOptions().setBinary(DashboardBrowserTest.CHROMIUM).addArguments("--headless=new",
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + profile,
        "--window-size=1600,1250");
    browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DashboardBrowserTest.CHROMEDRIVER)
        .usingAnyFreePort().build(), options);
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
  void theSendersTableShowsEachSendersDatagrams() {
    browser.get(node.base() + "/");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "live"));
    try (UdpClient c = new UdpClient(node.port("echo-udp"))) {
      assertThat(c.request("one\n")).isEqualTo("one\n");
      assertThat(c.request("two\n")).isEqualTo("two\n");
      assertThat(c.request("cut")).startsWith("-ERR");
      By row = By.xpath("//table[@id='senders']/tbody/tr[td[2][contains(., ':" + c.localPort() + "')]]");
      wait.until(ExpectedConditions.textToBePresentInElementLocated(row, "3 / 3"));
      assertThat(browser.findElement(row).getText()).startsWith("echo-udp");
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("senders-totals"),
          "echo-udp: 1 of 10000 senders"));
      By listener = By.cssSelector("#listeners tbody tr[data-name='echo-udp']");
      assertThat(browser.findElement(listener).getText()).contains(node.port("echo-udp") + "/udp");
    }
  }
}
