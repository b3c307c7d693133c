"""QR sheets decoded by a real reader: zbarimg (Debian's zbar-tools)."""

import re
import shutil
import subprocess
import zlib

from defusedxml import ElementTree as ET
from PIL import Image

from lookup.qr import PER_PAGE, QrItem, pdf_sheet, qr_matrix, raster_pages, svg_sheet

SVG = "{http://www.w3.org/2000/svg}"


def items(count):
    codes = [f"G2024001011{index:012d}" for index in range(count)]
    return [QrItem(data=f"https://cgp.example.cn/t/{code}", label=code) for code in codes]


def zbar(paths):
    """Every QR payload zbarimg finds in the images."""
    zbarimg = shutil.which("zbarimg")
    assert zbarimg, "zbarimg is missing: install Debian's zbar-tools (./dev.sh does)"
    result = subprocess.run(
        [zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    return set(result.stdout.split())


def pdf_page_images(data):
    """The 1-bit image of each page of a sheet PDF, read back from its streams."""
    pages = []
    pattern = re.compile(rb"/Width (\d+) /Height (\d+) .*?/Length (\d+) >>\nstream\n", re.S)
    for match in pattern.finditer(data):
        width, height, length = (int(group) for group in match.groups())
        stream = data[match.end() : match.end() + length]
        pages.append(Image.frombytes("1", (width, height), zlib.decompress(stream)))
    return pages


def svg_to_image(svg, scale=8):
    """Draw the QR paths of an SVG sheet with Pillow (no text), ``scale`` pixels a mm."""
    root = ET.fromstring(svg)
    width, height = (float(value) for value in root.get("viewBox").split()[2:])
    image = Image.new("L", (round(width * scale), round(height * scale)), 255)
    for page in root.iter(f"{SVG}g"):
        if page.get("class") != "page":
            continue
        page_y = float(re.search(r"translate\(0 ([\d.]+)\)", page.get("transform")).group(1))
        for path in page.iter(f"{SVG}path"):
            placement = re.search(r"translate\(([\d.]+) ([\d.]+)\) scale\(([\d.]+)\)", path.get("transform"))
            x, y, module = (float(value) for value in placement.groups())
            for start, row, run in re.findall(r"M(\d+) (\d+)h(\d+)", path.get("d")):
                left = (x + int(start) * module) * scale
                top = (page_y + y + int(row) * module) * scale
                right = left + int(run) * module * scale
                bottom = top + module * scale
                image.paste(0, (round(left), round(top), round(right), round(bottom)))
    return image


def test_every_code_on_the_raster_sheet_decodes_to_its_url(tmp_path):
    sheet = items(PER_PAGE + 5)
    paths = []
    for number, page in enumerate(raster_pages(sheet, title="G2024001011382914"), start=1):
        path = tmp_path / f"page-{number}.png"
        page.save(path)
        paths.append(path)

    assert len(paths) == 2
    assert zbar(paths) == {item.data for item in sheet}


def test_every_code_in_the_pdf_decodes_to_its_url(tmp_path):
    sheet = items(PER_PAGE + 1)
    data = pdf_sheet(sheet, title="G2024001011382914")
    paths = []
    for number, page in enumerate(pdf_page_images(data), start=1):
        path = tmp_path / f"pdf-page-{number}.png"
        page.save(path)
        paths.append(path)

    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    assert data.count(b"/Type /Page ") == 2
    assert zbar(paths) == {item.data for item in sheet}


def test_every_code_in_the_svg_decodes_to_its_url(tmp_path):
    sheet = items(PER_PAGE + 3)
    path = tmp_path / "sheet.png"
    svg_to_image(svg_sheet(sheet, title="G2024001011382914")).save(path)

    assert zbar([path]) == {item.data for item in sheet}


def test_svg_labels_each_code_with_its_text():
    sheet = items(3)

    root = ET.fromstring(svg_sheet(sheet))

    labels = [text.text for text in root.iter(f"{SVG}text")]
    assert [item.label for item in sheet] == [label for label in labels if label.startswith("G2024")]


def test_svg_has_one_a4_page_per_24_codes():
    root = ET.fromstring(svg_sheet(items(PER_PAGE * 2 + 1)))

    assert root.get("height") == "891mm"
    assert len([g for g in root.iter(f"{SVG}g") if g.get("class") == "page"]) == 3


def test_qr_code_for_a_trace_url_stays_small():
    matrix = qr_matrix("https://cgp.example.cn/t/G2024001011000418273941")

    assert len(matrix) <= 41 + 8  # version 4 or smaller, with its quiet zone
