//! The CLI's typed calls, storage and runtime APIs are generated at build time from the
//! committed `metadata/kasane.scale`. This fails when the runtime has changed since: the CLI
//! would sign calls the chain no longer decodes the same way.

/// The version `kasane` is generated from (v15: what subxt, polkadot.js and papi all read).
const METADATA_VERSION: u32 = 15;
const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/metadata/kasane.scale");

#[test]
fn generated_types_follow_the_runtime() {
	// Constants backed by chain parameters read storage: an empty state gives their maxima.
	let runtime = sp_io::TestExternalities::default()
		.execute_with(|| kasane_runtime::Runtime::metadata_at_version(METADATA_VERSION))
		.expect("the runtime serves the CLI's metadata version");
	if std::env::var_os("KASANE_REFRESH_METADATA").is_some() {
		std::fs::write(COMMITTED, &*runtime).expect("writing cli/metadata/kasane.scale");
		return;
	}
	let committed = std::fs::read(COMMITTED).expect("cli/metadata/kasane.scale exists");
	assert!(
		committed == *runtime,
		"cli/metadata/kasane.scale is older than the runtime: run `bash scripts/refresh-cli-metadata.sh` \
		 and commit the file"
	);
}
