// Calls the hand-counted window of insn-count-calibration.S three times.
void measure(void);

int main(void) {
  for (int i = 0; i < 3; ++i)
    measure();
  return 0;
}
