// Placeholder until the admin tool lands (issue 4).
int main() { return 0; }
