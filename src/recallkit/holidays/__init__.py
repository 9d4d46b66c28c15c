"""Holiday tables (`ca.toml`) and per-jurisdiction closure calendars (`closures/*.toml`).

Data only; `recallkit.calendar` reads them.
"""
