# driver/cocci/cocci.mk: `mmlock cocci`, the Coccinelle engine's driver
# (cmd_cocci.c and cocci_*.c, cocci.h).  Included by the top Makefile;
# the semantic patches and `make bench-cocci` are cocci/'s (cocci/cocci.mk).
DRIVER_SRC += driver/cocci/cmd_cocci.c driver/cocci/cocci_rules.c driver/cocci/cocci_files.c \
	      driver/cocci/cocci_scan.c driver/cocci/cocci_jobs.c driver/cocci/cocci_out.c
