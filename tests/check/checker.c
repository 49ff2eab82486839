/* The kernel's headers change under __CHECKER__; gcc must never see it. */
#ifdef __CHECKER__
#error __CHECKER__ reached gcc
#endif
int checker_ok;
