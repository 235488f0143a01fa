/** Bot benchmark (filled in step 6). */
export async function runBotBench(): Promise<void> {
  console.log("bot bench: not yet implemented");
}
