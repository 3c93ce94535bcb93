use substrate_build_script_utils::{generate_cargo_keys, rerun_if_git_head_changed};

fn main() {
	// Embeds the git commit into `--version` output (SUBSTRATE_CLI_IMPL_VERSION).
	generate_cargo_keys();
	rerun_if_git_head_changed();
}
