# driver/hook/hook.mk: `mmlock install-hook` (cmd_hook.c), the git
# pre-commit hook that runs `mmlock patch --staged`.  Included by the top
# Makefile.
DRIVER_SRC += driver/hook/cmd_hook.c
