class HcpRegionCode:
    """A region's two-digit HCP code; anything else never reaches a view (404)."""

    regex = "[0-9]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
