"""Printable sheets of labelled QR codes.

Trace codes are printed on labels, so a sheet puts one QR code per cell on A4 pages,
each with its code in plain text beneath, in two forms:

- SVG: vector, one document with the pages stacked; a print shop scales it freely.
- PDF: one 1-bit raster image per page at 200 dpi, written page by page so that a
  request for 10,000 codes never holds more than one page in memory.

Both are drawn from the same module matrix and the same layout, so what a test
decodes from the raster pages is what the SVG draws.
"""

import io
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape

import qrcode
import qrcode.constants
from PIL import Image, ImageDraw, ImageFont

PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_MM = 10
HEADER_MM = 6
COLUMNS = 4
ROWS = 6
PER_PAGE = COLUMNS * ROWS
QR_SIZE_MM = 32
LABEL_SIZE_MM = 2.8
TITLE_SIZE_MM = 3.2
QUIET_ZONE = 4
RASTER_DPI = 200
MASK_PATTERN = 2
# A sheet file holds at most this many codes (20 pages); a larger batch is
# downloaded in parts, each made well within a request's time.
SHEET_PART_SIZE = 20 * PER_PAGE

CELL_WIDTH_MM = (PAGE_WIDTH_MM - 2 * MARGIN_MM) / COLUMNS
CELL_HEIGHT_MM = (PAGE_HEIGHT_MM - 2 * MARGIN_MM - HEADER_MM) / ROWS


@dataclass(frozen=True)
class QrItem:
    """One cell of a sheet: the text encoded in the QR code and the label printed under it."""

    data: str
    label: str


def qr_matrix(data):
    """The module matrix of ``data`` with its quiet zone: rows of booleans, True for dark.

    Error correction level M keeps the code small while surviving a scuffed label. The
    mask pattern is fixed: scoring all eight to pick the best is what makes the
    library slow (about five times), and a sheet may hold thousands of codes.
    """
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE, mask_pattern=MASK_PATTERN
    )
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def page_count(item_count):
    return max(1, -(-item_count // PER_PAGE))


def _pages(items):
    """Split the items into pages of at most PER_PAGE."""
    page = []
    for item in items:
        page.append(item)
        if len(page) == PER_PAGE:
            yield page
            page = []
    if page:
        yield page


def _cell_origin(index):
    """Top-left corner (mm) of the cell at ``index`` on its page."""
    row, column = divmod(index, COLUMNS)
    return MARGIN_MM + column * CELL_WIDTH_MM, MARGIN_MM + HEADER_MM + row * CELL_HEIGHT_MM


def _qr_origin(index):
    x, y = _cell_origin(index)
    return x + (CELL_WIDTH_MM - QR_SIZE_MM) / 2, y + 2


def _label_baseline(index):
    x, y = _cell_origin(index)
    return x + CELL_WIDTH_MM / 2, y + 2 + QR_SIZE_MM + LABEL_SIZE_MM + 0.5


def _page_title(title, number, total):
    return f"{title}  {number}/{total}" if title else f"{number}/{total}"


def _svg_path(matrix):
    """The dark modules as one path in module units, a rectangle per horizontal run."""
    parts = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                parts.append(f"M{start} {y}h{x - start}v1h{start - x}z")
            else:
                x += 1
    return "".join(parts)


def _mm(value):
    return f"{value:.2f}".rstrip("0").rstrip(".")


def svg_sheet(items: Iterable[QrItem], *, title=""):
    """An SVG document of A4 pages stacked top to bottom, 24 labelled codes a page."""
    pages = list(_pages(items))
    total = len(pages) or 1
    height = PAGE_HEIGHT_MM * total
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{PAGE_WIDTH_MM}mm" height="{height}mm" '
        f'viewBox="0 0 {PAGE_WIDTH_MM} {height}">\n',
        f'<rect width="{PAGE_WIDTH_MM}" height="{height}" fill="#fff"/>\n',
    ]
    for number, page in enumerate(pages or [[]], start=1):
        top = (number - 1) * PAGE_HEIGHT_MM
        out.append(f'<g class="page" transform="translate(0 {top})">\n')
        out.append(
            f'<text x="{MARGIN_MM}" y="{_mm(MARGIN_MM + TITLE_SIZE_MM)}" font-family="sans-serif" '
            f'font-size="{TITLE_SIZE_MM}">{escape(_page_title(title, number, total))}</text>\n'
        )
        for index, item in enumerate(page):
            matrix = qr_matrix(item.data)
            scale = QR_SIZE_MM / len(matrix)
            x, y = _qr_origin(index)
            label_x, label_y = _label_baseline(index)
            out.append(
                f'<g class="code"><path transform="translate({_mm(x)} {_mm(y)}) scale({scale:.5f})" '
                f'd="{_svg_path(matrix)}"/>'
                f'<text x="{_mm(label_x)}" y="{_mm(label_y)}" font-family="monospace" '
                f'font-size="{LABEL_SIZE_MM}" text-anchor="middle">{escape(item.label)}</text></g>\n'
            )
        out.append("</g>\n")
    out.append("</svg>\n")
    return "".join(out)


def _px(mm):
    return round(mm * RASTER_DPI / 25.4)


def raster_pages(items: Iterable[QrItem], *, title="") -> Iterator[Image.Image]:
    """The sheet as 1-bit Pillow images, one A4 page at a time."""
    pages = list(_pages(items)) or [[]]
    label_font = ImageFont.load_default(size=_px(LABEL_SIZE_MM))
    title_font = ImageFont.load_default(size=_px(TITLE_SIZE_MM))
    for number, page in enumerate(pages, start=1):
        image = Image.new("L", (_px(PAGE_WIDTH_MM), _px(PAGE_HEIGHT_MM)), 255)
        draw = ImageDraw.Draw(image)
        draw.text(
            (_px(MARGIN_MM), _px(MARGIN_MM + TITLE_SIZE_MM)),
            _page_title(title, number, len(pages)),
            font=title_font,
            fill=0,
            anchor="ls",
        )
        for index, item in enumerate(page):
            matrix = qr_matrix(item.data)
            size = len(matrix)
            module = max(1, _px(QR_SIZE_MM) // size)
            code = Image.new("L", (size, size), 255)
            code.putdata([0 if dark else 255 for row in matrix for dark in row])
            code = code.resize((size * module, size * module), Image.Resampling.NEAREST)
            x, y = _qr_origin(index)
            image.paste(code, (_px(x), _px(y)))
            label_x, _ = _label_baseline(index)
            label_y = _px(y) + code.height + _px(LABEL_SIZE_MM + 0.5)
            draw.text((_px(label_x), label_y), item.label, font=label_font, fill=0, anchor="ms")
        yield image.convert("1", dither=Image.Dither.NONE)


def pdf_sheet(items: Iterable[QrItem], *, title=""):
    """The sheet as PDF bytes: each page one Flate-compressed 1-bit image filling A4."""
    writer = _PdfWriter()
    for page in raster_pages(items, title=title):
        writer.add_image_page(page, PAGE_WIDTH_MM * 72 / 25.4, PAGE_HEIGHT_MM * 72 / 25.4)
    return writer.finish()


class _PdfWriter:
    """A minimal PDF 1.4 writer for pages that are each one bitonal image.

    Object 1 is the catalogue, 2 the page tree; every page adds three objects
    (page, content stream, image). The page tree is written last, once the
    pages are known.
    """

    def __init__(self):
        self.buffer = io.BytesIO()
        self.offsets = {}
        self.page_ids = []
        self.next_id = 3
        self.buffer.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    def _object(self, object_id, body, stream=None):
        self.offsets[object_id] = self.buffer.tell()
        self.buffer.write(f"{object_id} 0 obj\n".encode())
        if stream is None:
            self.buffer.write(body.encode() + b"\nendobj\n")
        else:
            self.buffer.write(body.encode() + b"\nstream\n" + stream + b"\nendstream\nendobj\n")

    def add_image_page(self, image, width_pt, height_pt):
        page_id, content_id, image_id = self.next_id, self.next_id + 1, self.next_id + 2
        self.next_id += 3
        data = zlib.compress(image.tobytes(), 6)
        self._object(
            image_id,
            f"<< /Type /XObject /Subtype /Image /Width {image.width} /Height {image.height} "
            f"/ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /FlateDecode /Length {len(data)} >>",
            data,
        )
        content = f"q {width_pt:.2f} 0 0 {height_pt:.2f} 0 0 cm /Im Do Q".encode()
        self._object(content_id, f"<< /Length {len(content)} >>", content)
        self._object(
            page_id,
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width_pt:.2f} {height_pt:.2f}] "
            f"/Resources << /XObject << /Im {image_id} 0 R >> >> /Contents {content_id} 0 R >>",
        )
        self.page_ids.append(page_id)

    def finish(self):
        self._object(1, "<< /Type /Catalog /Pages 2 0 R >>")
        kids = " ".join(f"{page_id} 0 R" for page_id in self.page_ids)
        self._object(2, f"<< /Type /Pages /Kids [{kids}] /Count {len(self.page_ids)} >>")
        xref_at = self.buffer.tell()
        size = self.next_id
        self.buffer.write(f"xref\n0 {size}\n0000000000 65535 f \n".encode())
        for object_id in range(1, size):
            self.buffer.write(f"{self.offsets[object_id]:010d} 00000 n \n".encode())
        self.buffer.write(f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n".encode())
        return self.buffer.getvalue()


def svg_code(data, *, label):
    """One QR code of ``data`` as an ``<svg>`` element for a web page: it scales to its
    container, draws dark modules on white and names itself with ``label`` for
    assistive technology."""
    matrix = qr_matrix(data)
    size = len(matrix)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" '
        f'aria-label="{escape(label, {chr(34): "&quot;"})}" shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{_svg_path(matrix)}"/></svg>'
    )
