"""The one exception every check raises: its message is Chinese and tells the user what to do."""


class FileRefused(ValueError):
    """The upload is refused before it is stored or parsed; str(exc) is shown to the user."""
