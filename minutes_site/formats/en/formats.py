# The same style in English: "D" prints Thu, as minutes_site.dates does.
DATE_FORMAT = "Y. n. j.(D)"
DATETIME_FORMAT = "Y. n. j.(D) H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "Y. n."
MONTH_DAY_FORMAT = "n. j."
SHORT_DATE_FORMAT = "Y. n. j.(D)"
SHORT_DATETIME_FORMAT = "Y. n. j.(D) H:i"
