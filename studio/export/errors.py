from ..errors import StudioError


class ExportError(StudioError):
    """A rule set that a format cannot express as it is."""
