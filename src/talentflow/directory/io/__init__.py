"""Spreadsheet import and export of the directory (organisations and talents).

``columns`` defines the columns once — parsing, the template download and export all read it;
``sheets`` reads and writes .xlsx/.csv; ``importer`` validates and writes a whole file in one
transaction; ``exporter`` writes the list a user sees and the blank template. The web views
(``directory/views_io.py``) and the command line (``directory/importexport.py``) are thin
wrappers around these.
"""

KINDS = ("organisations", "talents")
