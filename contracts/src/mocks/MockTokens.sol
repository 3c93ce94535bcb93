// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice A plain ERC-20 the mocks build on; `mint` is open (test tokens).
contract MockERC20 {
    string public name;
    string public symbol;
    uint8 public constant decimals = 18;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    constructor(string memory name_, string memory symbol_) {
        name = name_;
        symbol = symbol_;
    }

    function mint(address to, uint256 amount) public virtual {
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transfer(address to, uint256 amount) external virtual returns (bool) {
        _move(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external virtual returns (bool) {
        _spend(from, amount);
        _move(from, to, amount);
        return true;
    }

    function _spend(address from, uint256 amount) internal {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) {
            require(allowed >= amount, "allowance");
            allowance[from][msg.sender] = allowed - amount;
        }
    }

    function _move(address from, address to, uint256 amount) internal virtual {
        require(balanceOf[from] >= amount, "balance");
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }
}

/// @notice Rocket Pool rETH: `getExchangeRate()` is ETH per rETH (1e18 = 1).
contract MockRETH is MockERC20("Rocket Pool ETH", "rETH") {
    uint256 public getExchangeRate = 1.1e18;

    function setExchangeRate(uint256 rate) external {
        getExchangeRate = rate;
    }
}

/// @notice Coinbase cbETH: `exchangeRate()` is ETH per cbETH (1e18 = 1). Like the real one,
/// it can blacklist addresses: transfers to or from them revert.
contract MockCbETH is MockERC20("Coinbase Wrapped Staked ETH", "cbETH") {
    uint256 public exchangeRate = 1.05e18;
    mapping(address => bool) public blacklisted;

    error Blacklisted(address who);

    function setExchangeRate(uint256 rate) external {
        exchangeRate = rate;
    }

    function setBlacklisted(address who, bool value) external {
        blacklisted[who] = value;
    }

    function _move(address from, address to, uint256 amount) internal override {
        if (blacklisted[from]) revert Blacklisted(from);
        if (blacklisted[to]) revert Blacklisted(to);
        super._move(from, to, amount);
    }
}

/// @notice Lido stETH: balances are shares × pooled ether / total shares, so they rebase when
/// `rebase` changes the pooled ether; shares move with `transferShares`.
contract MockStETH {
    string public constant name = "Liquid staked Ether 2.0";
    string public constant symbol = "stETH";
    uint8 public constant decimals = 18;
    uint256 public totalShares;
    uint256 public totalPooledEther;
    mapping(address => uint256) public sharesOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event TransferShares(address indexed from, address indexed to, uint256 sharesValue);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    /// Stake `msg.value`-free test ether: mints shares for `amount` of pooled ether.
    function submit(address to, uint256 amount) external returns (uint256 shares) {
        shares = totalShares == 0 ? amount : getSharesByPooledEth(amount);
        totalShares += shares;
        totalPooledEther += amount;
        sharesOf[to] += shares;
        emit Transfer(address(0), to, amount);
        emit TransferShares(address(0), to, shares);
    }

    /// The oracle report: the pool now holds `pooled` ether.
    function rebase(uint256 pooled) external {
        totalPooledEther = pooled;
    }

    function getPooledEthByShares(uint256 shares) public view returns (uint256) {
        return totalShares == 0 ? shares : shares * totalPooledEther / totalShares;
    }

    function getSharesByPooledEth(uint256 amount) public view returns (uint256) {
        return totalPooledEther == 0 ? amount : amount * totalShares / totalPooledEther;
    }

    function balanceOf(address who) external view returns (uint256) {
        return getPooledEthByShares(sharesOf[who]);
    }

    function totalSupply() external view returns (uint256) {
        return totalPooledEther;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _moveShares(msg.sender, to, getSharesByPooledEth(amount));
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        _spend(from, amount);
        _moveShares(from, to, getSharesByPooledEth(amount));
        return true;
    }

    function transferShares(address to, uint256 shares) external returns (uint256) {
        _moveShares(msg.sender, to, shares);
        return getPooledEthByShares(shares);
    }

    /// As Lido: the allowance is in stETH, spent by what the shares are worth.
    function transferSharesFrom(address from, address to, uint256 shares) external returns (uint256 amount) {
        amount = getPooledEthByShares(shares);
        _spend(from, amount);
        _moveShares(from, to, shares);
    }

    function _spend(address from, uint256 amount) internal {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) {
            require(allowed >= amount, "allowance");
            allowance[from][msg.sender] = allowed - amount;
        }
    }

    function _moveShares(address from, address to, uint256 shares) internal {
        require(sharesOf[from] >= shares, "shares");
        sharesOf[from] -= shares;
        sharesOf[to] += shares;
        emit Transfer(from, to, getPooledEthByShares(shares));
        emit TransferShares(from, to, shares);
    }
}

/// @notice Lido wstETH: wraps stETH shares one to one; `stEthPerToken()` is stETH per wstETH.
contract MockWstETH is MockERC20("Wrapped liquid staked Ether 2.0", "wstETH") {
    MockStETH public immutable stETH;

    constructor(MockStETH stETH_) {
        stETH = stETH_;
    }

    function mint(address, uint256) public pure override {
        revert("wrap stETH");
    }

    function wrap(uint256 stEthAmount) external returns (uint256 shares) {
        shares = stETH.getSharesByPooledEth(stEthAmount);
        stETH.transferSharesFrom(msg.sender, address(this), shares);
        totalSupply += shares;
        balanceOf[msg.sender] += shares;
        emit Transfer(address(0), msg.sender, shares);
    }

    function unwrap(uint256 amount) external returns (uint256 stEthAmount) {
        require(balanceOf[msg.sender] >= amount, "balance");
        balanceOf[msg.sender] -= amount;
        totalSupply -= amount;
        emit Transfer(msg.sender, address(0), amount);
        stEthAmount = stETH.transferShares(msg.sender, amount);
    }

    function stEthPerToken() external view returns (uint256) {
        return stETH.getPooledEthByShares(1e18);
    }
}

interface IVaultDeposit {
    function deposit(address token, uint256 amount, bytes32 recipient) external returns (uint64);
}

/// @notice A token with a transfer hook (ERC-777-like) that re-enters the vault's `deposit`
/// from inside `transferFrom`: without a guard, the outer deposit would count the inner one's
/// tokens as its own.
contract MockHookToken is MockERC20("Hooked", "HOOK") {
    address public vault;
    bool private inHook;

    function setVault(address vault_) external {
        vault = vault_;
    }

    function transferFrom(address from, address to, uint256 amount) external override returns (bool) {
        _spend(from, amount);
        _move(from, to, amount);
        if (to == vault && !inHook) {
            inHook = true;
            _move(from, address(this), amount);
            allowance[address(this)][vault] = amount;
            IVaultDeposit(vault).deposit(address(this), amount, bytes32(uint256(1)));
            inHook = false;
        }
        return true;
    }
}
