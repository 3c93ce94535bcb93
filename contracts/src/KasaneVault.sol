// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice ERC-20 as the vault uses it.
interface IERC20 {
    function balanceOf(address who) external view returns (uint256);
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/// @notice Lido stETH: a rebasing token whose shares do not rebase.
interface IStETH {
    function sharesOf(address who) external view returns (uint256);
    function transferShares(address to, uint256 shares) external returns (uint256);
    function transferSharesFrom(address from, address to, uint256 shares) external returns (uint256);
    function getPooledEthByShares(uint256 shares) external view returns (uint256);
}

interface IWstETH {
    function stEthPerToken() external view returns (uint256);
}

interface IRocketTokenRETH {
    function getExchangeRate() external view returns (uint256);
}

interface ICbETH {
    function exchangeRate() external view returns (uint256);
}

/// @title KasaneVault
/// @notice Locks allow-listed Ethereum liquid-staking tokens that Kasane mirrors, and releases
/// them when a quorum of Kasane's attesters signs a withdrawal made on Kasane.
///
/// - `deposit` locks tokens and emits `Deposited(nonce, token, recipient, amount, depositor)`;
///   Kasane's attesters attest it and Kasane mints the mirrored asset to `recipient` (a 32-byte
///   account). A deposit Kasane refuses or cancels comes back as an ordinary withdrawal to
///   `depositor` (a parked deposit root never cancels waits, and a depositor the token
///   blacklists is refused like any recipient).
///   stETH crosses only as shares: `amount` is a number of shares, so no rebasing balance ever
///   crosses. What the vault received is what is reported (a token taking a fee on transfer
///   reports less).
/// - `reportRate` reads the token's own exchange-rate function and emits `RateReported`.
/// - `release` pays a withdrawal once signatures of a quorum of the current attester set over
///   its digest are shown, signers sorted ascending (so each counts once); each withdrawal
///   nonce pays once. Whoever submits it names a Kasane account (`beneficiary`) in the
///   `Released` event: the attesters carry it back and Kasane pays that account the
///   withdrawal's fee.
/// - Attester sets change only after a time lock, in the open: `queueRotation` takes a quorum
///   of the current set's signatures over the next set and `executeRotation` installs it once
///   `rotationDelay` has passed. For a compromised set the owner proposes a replacement with
///   `proposeRecovery`, installed by `executeRecovery` after the longer `recoveryDelay`. The
///   guardian (or the owner) cancels either while it waits; neither executes while paused.
/// - The owner allow-lists tokens with a cap on what may be locked; the guardian can pause
///   deposits, releases and hand-overs, only the owner resumes.
/// - Deposits and releases take no re-entry: a token calling back into the vault during its
///   transfer cannot have one deposit counted twice.
///
/// Digests are `keccak256(abi.encode(tag, chainid, vault, kasaneGenesis, attesterSetId, ...))`,
/// signed as raw 32-byte hashes (no `\x19Ethereum Signed Message` prefix): they are Kasane
/// attestations, not wallet messages, and bound to one Kasane network (its genesis hash), so
/// a testnet or a new chain started from mainnet's state cannot release from this vault.
contract KasaneVault {
    enum RateKind {
        None,
        WstETH,
        RocketPool,
        Coinbase,
        StEthShares
    }

    struct Token {
        bool allowed;
        RateKind kind;
        /// Most that may be locked (shares for stETH).
        uint256 cap;
        /// Locked now (shares for stETH).
        uint256 locked;
    }

    struct Withdrawal {
        uint64 nonce;
        address token;
        address recipient;
        uint256 amount;
    }

    bytes32 public constant RELEASE_TAG = keccak256("kasane/vault/release/v2");
    bytes32 public constant ROTATE_TAG = keccak256("kasane/vault/rotate/v2");
    uint256 public constant MAX_ATTESTERS = 64;

    /// The genesis hash of the Kasane network this vault serves.
    bytes32 public immutable kasaneGenesis;
    address public owner;
    address public guardian;
    bool public paused;

    uint64 public depositNonce;
    mapping(address => Token) public tokens;
    mapping(uint64 => bool) public released;

    /// Bumped on every rotation: old signatures never count for a new set.
    uint256 public attesterSetId;
    address[] internal attesterList;
    mapping(address => uint256) internal attesterSince;
    uint256 public quorum;

    /// A next attester set waiting for its time lock: the hash of (next, quorum) and when it
    /// may be installed (0: none waiting).
    struct PendingSet {
        bytes32 hash;
        uint256 eta;
    }

    /// Seconds a quorum-signed hand-over waits before it can be executed.
    uint256 public immutable rotationDelay;
    /// Seconds an owner-proposed recovery waits before it can be executed.
    uint256 public immutable recoveryDelay;
    PendingSet public pendingRotation;
    PendingSet public pendingRecovery;

    uint256 private locked_ = 1;

    event Deposited(
        uint64 indexed nonce, address indexed token, bytes32 indexed recipient, uint256 amount, address depositor
    );
    event RateReported(address indexed token, uint256 rate, uint256 timestamp);
    event Released(
        uint64 indexed nonce, address indexed token, address indexed recipient, uint256 amount, bytes32 beneficiary
    );
    event AttestersRotated(uint256 indexed setId, address[] attesters, uint256 quorum);
    event RotationQueued(uint256 indexed fromSetId, address[] attesters, uint256 quorum, uint256 eta);
    event RotationCancelled(uint256 indexed fromSetId);
    event RecoveryProposed(uint256 indexed fromSetId, address[] attesters, uint256 quorum, uint256 eta);
    event RecoveryCancelled(uint256 indexed fromSetId);
    event TokenConfigured(address indexed token, RateKind kind, uint256 cap);
    event PausedSet(bool paused);

    error NotOwner();
    error NotGuardian();
    error IsPaused();
    error TokenNotAllowed();
    error ZeroAmount();
    error ZeroRecipient();
    error OverCap();
    error AlreadyReleased();
    error NoQuorum();
    error SignersNotSorted();
    error NotAttester();
    error BadAttesterSet();
    error BadSignature();
    error TransferFailed();
    error NoRateFunction();
    error NothingPending();
    error AlreadyPending();
    error TooEarly();
    error NotThePendingSet();
    error Reentrancy();
    error BadDelays();

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner();
        _;
    }

    modifier whenNotPaused() {
        if (paused) revert IsPaused();
        _;
    }

    modifier nonReentrant() {
        if (locked_ != 1) revert Reentrancy();
        locked_ = 2;
        _;
        locked_ = 1;
    }

    modifier onlyGuardianOrOwner() {
        if (msg.sender != guardian && msg.sender != owner) revert NotGuardian();
        _;
    }

    /// @param kasaneGenesis_ the genesis hash of the Kasane network served.
    /// @param rotationDelay_ seconds a signed hand-over waits (Kasane's own delay is a day).
    /// @param recoveryDelay_ seconds an owner recovery waits; at least `rotationDelay_`.
    constructor(
        bytes32 kasaneGenesis_,
        address guardian_,
        address[] memory attesters_,
        uint256 quorum_,
        uint256 rotationDelay_,
        uint256 recoveryDelay_
    ) {
        if (recoveryDelay_ < rotationDelay_) revert BadDelays();
        kasaneGenesis = kasaneGenesis_;
        owner = msg.sender;
        guardian = guardian_;
        rotationDelay = rotationDelay_;
        recoveryDelay = recoveryDelay_;
        _setAttesters(attesters_, quorum_);
    }

    // ---- administration ----

    /// @notice Accept deposits of `token` (its rate read as `kind`) up to `cap` locked.
    function configureToken(address token, RateKind kind, uint256 cap) external onlyOwner {
        Token storage t = tokens[token];
        t.allowed = true;
        t.kind = kind;
        t.cap = cap;
        emit TokenConfigured(token, kind, cap);
    }

    /// @notice Stop deposits of `token`; what is locked can still be released.
    function disallowToken(address token) external onlyOwner {
        tokens[token].allowed = false;
        emit TokenConfigured(token, tokens[token].kind, 0);
    }

    function pause() external onlyGuardianOrOwner {
        paused = true;
        emit PausedSet(true);
    }

    function resume() external onlyOwner {
        paused = false;
        emit PausedSet(false);
    }

    function attesters() external view returns (address[] memory) {
        return attesterList;
    }

    // ---- deposits and rates ----

    /// @notice Lock `amount` of `token` (shares, for stETH) for `recipient` on Kasane.
    function deposit(address token, uint256 amount, bytes32 recipient)
        external
        whenNotPaused
        nonReentrant
        returns (uint64 nonce)
    {
        Token storage t = tokens[token];
        if (!t.allowed) revert TokenNotAllowed();
        if (amount == 0) revert ZeroAmount();
        if (recipient == bytes32(0)) revert ZeroRecipient();
        uint256 received;
        if (t.kind == RateKind.StEthShares) {
            uint256 before = IStETH(token).sharesOf(address(this));
            IStETH(token).transferSharesFrom(msg.sender, address(this), amount);
            received = IStETH(token).sharesOf(address(this)) - before;
        } else {
            uint256 before = IERC20(token).balanceOf(address(this));
            if (!IERC20(token).transferFrom(msg.sender, address(this), amount)) revert TransferFailed();
            received = IERC20(token).balanceOf(address(this)) - before;
        }
        if (received == 0) revert ZeroAmount();
        if (t.locked + received > t.cap) revert OverCap();
        t.locked += received;
        nonce = ++depositNonce;
        emit Deposited(nonce, token, recipient, received, msg.sender);
    }

    /// @notice The token's value in ETH per 10^18 units, from its own rate function.
    function rateOf(address token) public view returns (uint256) {
        Token storage t = tokens[token];
        if (!t.allowed) revert TokenNotAllowed();
        if (t.kind == RateKind.WstETH) return IWstETH(token).stEthPerToken();
        if (t.kind == RateKind.RocketPool) return IRocketTokenRETH(token).getExchangeRate();
        if (t.kind == RateKind.Coinbase) return ICbETH(token).exchangeRate();
        if (t.kind == RateKind.StEthShares) return IStETH(token).getPooledEthByShares(1e18);
        revert NoRateFunction();
    }

    function reportRate(address token) external returns (uint256 rate) {
        rate = rateOf(token);
        emit RateReported(token, rate, block.timestamp);
    }

    // ---- withdrawals from Kasane ----

    function releaseDigest(Withdrawal calldata w) public view returns (bytes32) {
        return keccak256(
            abi.encode(
                RELEASE_TAG,
                block.chainid,
                address(this),
                kasaneGenesis,
                attesterSetId,
                w.nonce,
                w.token,
                w.recipient,
                w.amount
            )
        );
    }

    /// @param beneficiary the Kasane account owed the withdrawal's fee for this transaction.
    function release(Withdrawal calldata w, bytes[] calldata signatures, bytes32 beneficiary)
        external
        whenNotPaused
        nonReentrant
    {
        if (released[w.nonce]) revert AlreadyReleased();
        Token storage t = tokens[w.token];
        if (w.amount == 0) revert ZeroAmount();
        // Never more than was locked (a withdrawal beyond it fails the subtraction below).
        if (w.amount > t.locked) revert OverCap();
        _checkQuorum(releaseDigest(w), signatures);
        released[w.nonce] = true;
        t.locked -= w.amount;
        if (t.kind == RateKind.StEthShares) {
            IStETH(w.token).transferShares(w.recipient, w.amount);
        } else if (!IERC20(w.token).transfer(w.recipient, w.amount)) {
            revert TransferFailed();
        }
        emit Released(w.nonce, w.token, w.recipient, w.amount, beneficiary);
    }

    // ---- attester set ----

    function rotateDigest(address[] calldata next, uint256 nextQuorum) public view returns (bytes32) {
        return keccak256(
            abi.encode(ROTATE_TAG, block.chainid, address(this), kasaneGenesis, attesterSetId, next, nextQuorum)
        );
    }

    /// @notice Queue the hand-over to `next` (quorum `nextQuorum`) that a quorum of the current
    /// attesters signed; `executeRotation` installs it after `rotationDelay`.
    function queueRotation(address[] calldata next, uint256 nextQuorum, bytes[] calldata signatures)
        external
        whenNotPaused
    {
        if (pendingRotation.eta != 0) revert AlreadyPending();
        _checkSet(next, nextQuorum);
        _checkQuorum(rotateDigest(next, nextQuorum), signatures);
        uint256 eta = block.timestamp + rotationDelay;
        pendingRotation = PendingSet(keccak256(abi.encode(next, nextQuorum)), eta);
        emit RotationQueued(attesterSetId, next, nextQuorum, eta);
    }

    /// @notice Install the queued hand-over once its time lock is over (anyone).
    function executeRotation(address[] calldata next, uint256 nextQuorum) external whenNotPaused {
        _takeDue(pendingRotation, next, nextQuorum);
        _setAttesters(next, nextQuorum);
    }

    function cancelRotation() external onlyGuardianOrOwner {
        if (pendingRotation.eta == 0) revert NothingPending();
        delete pendingRotation;
        emit RotationCancelled(attesterSetId);
    }

    /// @notice Propose replacing a compromised attester set (owner): visible on chain for
    /// `recoveryDelay` before `executeRecovery` can install it, and cancellable meanwhile.
    function proposeRecovery(address[] calldata next, uint256 nextQuorum) external onlyOwner {
        if (pendingRecovery.eta != 0) revert AlreadyPending();
        _checkSet(next, nextQuorum);
        uint256 eta = block.timestamp + recoveryDelay;
        pendingRecovery = PendingSet(keccak256(abi.encode(next, nextQuorum)), eta);
        emit RecoveryProposed(attesterSetId, next, nextQuorum, eta);
    }

    function executeRecovery(address[] calldata next, uint256 nextQuorum) external whenNotPaused {
        _takeDue(pendingRecovery, next, nextQuorum);
        _setAttesters(next, nextQuorum);
    }

    function cancelRecovery() external onlyGuardianOrOwner {
        if (pendingRecovery.eta == 0) revert NothingPending();
        delete pendingRecovery;
        emit RecoveryCancelled(attesterSetId);
    }

    /// Clear `pending` if it is `next`/`nextQuorum` and its time lock is over.
    function _takeDue(PendingSet storage pending, address[] calldata next, uint256 nextQuorum) internal {
        if (pending.eta == 0) revert NothingPending();
        if (block.timestamp < pending.eta) revert TooEarly();
        if (pending.hash != keccak256(abi.encode(next, nextQuorum))) revert NotThePendingSet();
        delete pending.eta;
        delete pending.hash;
    }

    /// At least two thirds, rounded up, and no more than all of them; addresses sorted, unique.
    function _checkSet(address[] memory next, uint256 nextQuorum) internal pure {
        uint256 n = next.length;
        if (n == 0 || n > MAX_ATTESTERS || nextQuorum * 3 < 2 * n || nextQuorum > n) revert BadAttesterSet();
        address last = address(0);
        for (uint256 i = 0; i < n; i++) {
            if (next[i] <= last) revert BadAttesterSet();
            last = next[i];
        }
    }

    function _setAttesters(address[] memory next, uint256 nextQuorum) internal {
        _checkSet(next, nextQuorum);
        for (uint256 i = 0; i < attesterList.length; i++) {
            delete attesterSince[attesterList[i]];
        }
        attesterSetId += 1;
        for (uint256 i = 0; i < next.length; i++) {
            attesterSince[next[i]] = attesterSetId;
        }
        attesterList = next;
        quorum = nextQuorum;
        // Whatever else waited was decided against the set that just left.
        delete pendingRotation;
        delete pendingRecovery;
        emit AttestersRotated(attesterSetId, next, nextQuorum);
    }

    function _checkQuorum(bytes32 digest, bytes[] calldata signatures) internal view {
        if (signatures.length < quorum) revert NoQuorum();
        address last = address(0);
        for (uint256 i = 0; i < signatures.length; i++) {
            address signer = _recover(digest, signatures[i]);
            if (signer <= last) revert SignersNotSorted();
            if (attesterSince[signer] != attesterSetId) revert NotAttester();
            last = signer;
        }
    }

    function _recover(bytes32 digest, bytes calldata signature) internal pure returns (address signer) {
        if (signature.length != 65) revert BadSignature();
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (v < 27) v += 27;
        // Only low-s signatures: a signature has one valid form.
        if (uint256(s) > 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0) revert BadSignature();
        signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert BadSignature();
    }
}
