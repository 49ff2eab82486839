# driver/util/util.mk: the helpers every command shares (util.h).
# Included by the top Makefile.
DRIVER_SRC += driver/util/msg.c driver/util/mem.c driver/util/file.c driver/util/proc.c
