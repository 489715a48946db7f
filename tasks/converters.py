class YearConverter:
    """A plan's year in a URL: four digits."""

    regex = r"[12][0-9]{3}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"
