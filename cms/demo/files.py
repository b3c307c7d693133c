"""Small valid files made in code, so the demo needs nothing downloaded."""

import struct
import zlib


def _pdf_text(text):
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def minimal_pdf(lines):
    """A one-page PDF 1.4 showing ``lines`` (ASCII text) in Helvetica."""
    commands = ["BT", "/F1 16 Tf", "72 760 Td", "22 TL"]
    for line in lines:
        commands.append(f"({_pdf_text(line.encode('ascii', 'replace').decode('ascii'))}) Tj T*")
    commands.append("ET")
    stream = "\n".join(commands).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    output = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(output)
    output += f"xref\n0 {len(objects) + 1}\n".encode()
    output += b"0000000000 65535 f \n"
    for offset in offsets:
        output += f"{offset:010d} 00000 n \n".encode()
    output += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(output)


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def mark_png(size=240):
    """A green disc with a white ring and a white leaf stroke: a stand-in for the
    green product mark, as an RGB PNG."""
    green, white = (11, 107, 58), (255, 255, 255)
    centre = (size - 1) / 2
    rows = []
    for y in range(size):
        row = bytearray(b"\x00")
        for x in range(size):
            dx, dy = x - centre, y - centre
            distance = (dx * dx + dy * dy) ** 0.5
            colour = white
            if distance <= size * 0.48:
                colour = green
                if size * 0.40 <= distance <= size * 0.44:
                    colour = white
                # A leaf: the overlap of two discs offset along the diagonal.
                a = ((dx - size * 0.09) ** 2 + (dy - size * 0.09) ** 2) ** 0.5
                b = ((dx + size * 0.09) ** 2 + (dy + size * 0.09) ** 2) ** 0.5
                if a <= size * 0.22 and b <= size * 0.22:
                    colour = white
            row += bytes(colour)
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _png_chunk(b"IEND", b"")
    )
