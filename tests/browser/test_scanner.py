"""The "I have a code" form's scanner in headless Chromium on a 360 px phone, in both
languages: the typed path, and a real scan of a QR code shown to a fake camera.

Chromium's fake camera plays a Y4M file (``--use-file-for-fake-video-capture``), so
the scan tests launch their own browser whose camera films a label's QR code.
"""

import pytest
import qrcode

from django.utils import translation
from django.utils.translation import gettext

from lookup.models import TraceCode
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, SCREENSHOTS, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

LANGUAGES = ["zh-hans", "en"]
NUMBER = "G2024001011318204"
NOT_A_CODE = "This QR code holds no certificate number or trace code. Try the code on the label."
DENIED = "The camera may not be used. Allow it in your browser's settings, or type the code instead."
FRAME = (640, 480)


def translated(language, message):
    with translation.override(language):
        return gettext(message)


def write_y4m(path, text, frames=6):
    """A short 4:2:0 Y4M video of ``text`` as a QR code on white, for Chromium's fake camera."""
    width, height = FRAME
    code = qrcode.QRCode(border=4, box_size=10)
    code.add_data(text)
    image = code.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    side = min(height - 40, image.size[0])
    image = image.resize((side, side))
    picture = qrcode.image.pil.Image.new("RGB", FRAME, "white")
    picture.paste(image, ((width - side) // 2, (height - side) // 2))
    luma, blue, red = picture.convert("YCbCr").split()
    half = (width // 2, height // 2)
    planes = luma.tobytes() + blue.resize(half).tobytes() + red.resize(half).tobytes()
    with path.open("wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + planes)
    return path


@pytest.fixture(scope="module")
def demo(demo_site):
    trace = TraceCode.objects.select_related("certificate").order_by("code")[202]
    return {"server": demo_site, "trace": trace.code, "trace_certificate": trace.certificate.number}


@pytest.fixture(scope="module")
def camera_browsers(browser, tmp_path_factory):
    """Browsers whose fake camera films a given text as a QR code, one per text."""
    launched = {}

    def launch(text):
        if text not in launched:
            video = write_y4m(tmp_path_factory.mktemp("camera") / "label.y4m", text)
            launched[text] = browser.browser_type.launch(
                executable_path=str(CHROMIUM),
                args=[
                    *CHROMIUM_ARGS,
                    "--use-fake-device-for-media-stream",
                    f"--use-file-for-fake-video-capture={video}",
                ],
            )
        return launched[text]

    yield launch
    for opened in launched.values():
        opened.close()


@pytest.fixture
def phone_with_camera(camera_browsers):
    """A phone page whose camera films ``text``; camera use granted unless told otherwise."""
    contexts = []

    def open_phone(text, url, allow_camera=True):
        context = camera_browsers(text).new_context(**PHONE)
        contexts.append(context)
        if allow_camera:
            context.grant_permissions(["camera"])
        page = context.new_page()
        errors, requested = [], []
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("request", lambda request: requested.append(request.url))
        page.goto(url)
        return page, errors, requested

    yield open_phone
    for context in contexts:
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_typed_code_opens_its_certificate(demo, visit, language):
    opened = visit(f"{demo['server']}/{language}/lookup/code/", PHONE)
    opened.page.fill("input[name='code']", NUMBER)
    opened.page.click("form.lookup-form button[type='submit']")
    opened.page.wait_for_url(f"{demo['server']}/{language}/lookup/certificates/{NUMBER}/")
    assert NUMBER in opened.page.inner_text("main")
    assert opened.errors == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_without_javascript_the_form_is_the_typed_path_alone(demo, visit, language):
    opened = visit(f"{demo['server']}/{language}/lookup/code/", {**PHONE, "java_script_enabled": False})
    assert opened.page.is_visible("input[name='code']")
    assert not opened.page.is_visible("[data-scanner-start]")
    assert not opened.page.is_visible("video")


@pytest.mark.parametrize("language", LANGUAGES)
def test_scanning_a_label_opens_the_certificate_of_its_trace_code(demo, phone_with_camera, language):
    label = f"{demo['server']}/t/{demo['trace']}"
    page, errors, requested = phone_with_camera(label, f"{demo['server']}/{language}/lookup/code/")
    start = page.locator("[data-scanner-start]")
    assert start.inner_text() == translated(language, "Scan with camera")
    assert not any("/vendor/" in url for url in requested), "the decoder loads only when the camera starts"
    start.click()
    page.wait_for_url(f"{demo['server']}/{language}/lookup/certificates/{demo['trace_certificate']}/", timeout=20_000)
    assert demo["trace_certificate"] in page.inner_text("main")
    assert errors == []
    # Headless Chromium on Linux has no BarcodeDetector: the ZXing decoder came from this site.
    assert f"{demo['server']}/static/vendor/zxing-wasm/zxing_reader.wasm" in requested
    assert [url for url in requested if not url.startswith(demo["server"])] == []


def test_scanning_a_bare_certificate_number_opens_its_certificate(demo, phone_with_camera):
    page, errors, _requested = phone_with_camera(NUMBER, f"{demo['server']}/zh-hans/lookup/code/")
    page.click("[data-scanner-start]")
    page.wait_for_url(f"{demo['server']}/zh-hans/lookup/certificates/{NUMBER}/", timeout=20_000)
    assert errors == []


def test_scanner_shows_the_camera_and_closes_cleanly(demo, phone_with_camera):
    page, errors, _requested = phone_with_camera(
        "https://example.org/not-a-label", f"{demo['server']}/en/lookup/code/"
    )
    page.click("[data-scanner-start]")
    status = page.locator("[data-scanner-status]")
    status.filter(has_text=translated("en", NOT_A_CODE)).wait_for(timeout=20_000)
    assert page.is_visible("video")
    assert page.evaluate("document.querySelector('video').srcObject.getVideoTracks()[0].readyState") == "live"
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths == [360, 360]
    page.screenshot(path=str(SCREENSHOTS / "scanner-open-en.png"), full_page=True)
    assert_accessible(page, "code page with the camera open")

    page.click("[data-scanner-close]")
    assert not page.is_visible("video")
    assert page.evaluate("document.querySelector('video').srcObject") is None
    assert page.is_visible("[data-scanner-start]")
    assert page.input_value("input[name='code']") == ""
    assert errors == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_camera_is_explained_and_the_code_can_still_be_typed(demo, phone_with_camera, language):
    page, _errors, _requested = phone_with_camera(
        NUMBER, f"{demo['server']}/{language}/lookup/code/", allow_camera=False
    )
    page.click("[data-scanner-start]")
    denied = translated(language, DENIED)
    page.locator("[data-scanner-status]").filter(has_text=denied).wait_for(timeout=10_000)
    assert not page.is_visible("video")
    page.screenshot(path=str(SCREENSHOTS / f"scanner-denied-{language}.png"), full_page=True)
    page.fill("input[name='code']", NUMBER)
    page.click("form.lookup-form button[type='submit']")
    page.wait_for_url(f"{demo['server']}/{language}/lookup/certificates/{NUMBER}/")
