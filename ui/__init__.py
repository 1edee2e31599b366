"""The Qt (PySide6) face of the kiosk: screens, widgets and the bridge to the core."""
