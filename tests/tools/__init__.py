"""Test helpers for the theme's real-component tests: a loopback HTTP server, headless Chromium,
and the Node-packaged checkers (vnu-jar, axe-core) installed by `install_node_tools.sh`."""
