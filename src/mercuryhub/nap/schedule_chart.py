"""The schedule of a plan (Annex C 1(k)) drawn as a Gantt chart in a PNG image, for the Word
document: a row per dated action with its number, its bar on the time axis, the calendar years
in alternate bands with their numbers above. Figures are drawn with a small pixel font, so the
image needs no font and no plotting library (``lib.word_documents.png`` writes it).

In a right-to-left document the time runs from right to left; the figures stay readable."""

from mercuryhub.lib.word_documents import BAR_COLOUR, TRACK_COLOUR, png
from mercuryhub.nap.schedule import Schedule

WIDTH = 960
LABEL_WIDTH, AXIS_HEIGHT, ROW_HEIGHT, BAR_HEIGHT = 64, 30, 26, 16
SCALE = 3  # each pixel of the font is SCALE × SCALE pixels of the image
WHITE, INK, LINE = (255, 255, 255), (20, 20, 20), (160, 166, 173)

# Digits and a few signs, 3 pixels wide and 5 high, row by row.
_GLYPHS = {
    "0": ("111", "101", "101", "101", "111"),
    "1": ("010", "110", "010", "010", "111"),
    "2": ("111", "001", "111", "100", "111"),
    "3": ("111", "001", "111", "001", "111"),
    "4": ("101", "101", "111", "001", "001"),
    "5": ("111", "100", "111", "001", "111"),
    "6": ("111", "100", "111", "101", "111"),
    "7": ("111", "001", "010", "010", "010"),
    "8": ("111", "101", "111", "101", "111"),
    "9": ("111", "101", "111", "001", "111"),
    "'": ("010", "010", "000", "000", "000"),
}


class _Canvas:
    def __init__(self, width: int, height: int, *, mirrored: bool):
        self.width, self.height, self.mirrored = width, height, mirrored
        self.rows = [bytearray(WHITE * width) for _ in range(height)]

    def rectangle(self, left: int, top: int, right: int, bottom: int, colour) -> None:
        """Fill from (left, top) up to, not including, (right, bottom), measured from the
        start of the time axis's side (the right in a mirrored chart)."""
        if self.mirrored:
            left, right = self.width - right, self.width - left
        left, right = max(0, left), min(self.width, right)
        for y in range(max(0, top), min(self.height, bottom)):
            self.rows[y][3 * left : 3 * right] = bytes(colour) * max(0, right - left)

    def text(self, left: int, top: int, text: str) -> None:
        """Figures whose start is ``left`` from the start side; never drawn mirrored."""
        width = self.text_width(text)
        x = self.width - left - width if self.mirrored else left
        for glyph in text:
            for row, bits in enumerate(_GLYPHS.get(glyph, ("000",) * 5)):
                for column, bit in enumerate(bits):
                    if bit == "1":
                        left = x + column * SCALE
                        self.rectangle_at(left, top + row * SCALE, SCALE, INK)
            x += 4 * SCALE

    def rectangle_at(self, left: int, top: int, size: int, colour) -> None:
        """A square of ``size`` pixels at the image's own coordinates (never mirrored)."""
        for y in range(top, min(self.height, top + size)):
            self.rows[y][3 * left : 3 * (left + size)] = bytes(colour) * size

    @staticmethod
    def text_width(text: str) -> int:
        return max(0, len(text) * 4 * SCALE - SCALE)

    def png(self) -> bytes:
        return png(self.width, self.height, b"".join(b"\x00" + bytes(row) for row in self.rows))


def gantt_png(schedule: Schedule, *, mirrored: bool = False) -> bytes | None:
    """The chart of ``schedule`` (``schedule.schedule_of``), or None when no action is dated."""
    if not schedule.bars:
        return None
    height = AXIS_HEIGHT + ROW_HEIGHT * len(schedule.bars) + 1
    canvas = _Canvas(WIDTH, height, mirrored=mirrored)
    axis = WIDTH - LABEL_WIDTH - 8
    per_day = axis / schedule.days

    def at(days: int) -> int:
        return LABEL_WIDTH + round(days * per_day)

    for index, (year, offset, length) in enumerate(schedule.years()):
        left, right = at(offset), at(offset + length)
        if index % 2:
            canvas.rectangle(left, AXIS_HEIGHT, right, height, TRACK_COLOUR)
        canvas.rectangle(left, 0, left + 1, height, LINE)
        label = str(year) if right - left > 4 * 4 * SCALE + 4 else f"'{year % 100:02d}"
        if right - left > canvas.text_width(label) + 4:
            canvas.text(left + (right - left - canvas.text_width(label)) // 2, 7, label)
    canvas.rectangle(at(schedule.days) - 1, 0, at(schedule.days), height, LINE)
    for row, bar in enumerate(schedule.bars):
        top = AXIS_HEIGHT + row * ROW_HEIGHT
        number = str(bar.number)
        canvas.text(LABEL_WIDTH - 10 - canvas.text_width(number), top + 6, number)
        left = at(bar.offset_days)
        right = max(left + 2, at(bar.offset_days + bar.length_days))
        margin = (ROW_HEIGHT - BAR_HEIGHT) // 2
        canvas.rectangle(left, top + margin, right, top + margin + BAR_HEIGHT, BAR_COLOUR)
    canvas.rectangle(LABEL_WIDTH, height - 1, at(schedule.days), height, LINE)
    return canvas.png()
