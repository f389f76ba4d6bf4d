"""Internal helpers shared across tsforecast (input validation, series conversion)."""
