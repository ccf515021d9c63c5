package dev.ferrite.controller;
